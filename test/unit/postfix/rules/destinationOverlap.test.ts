import * as assert from 'assert';
import { destinationOverlap } from '../../../../src/core/postfix/rules/destinationOverlap';
import { applyFix, coveredText, lintTexts, readFixture, where } from '../../helpers';

describe('postfix/destination-overlap', () => {
  const main = readFixture('postfix/rules/destination-overlap/main.cf');

  it('flags each domain of a virtual list that mydestination also names, with the other place as related', () => {
    const findings = lintTexts({ main }, destinationOverlap);
    assert.deepStrictEqual(where(findings), ['5:25 postfix/destination-overlap', '6:40 postfix/destination-overlap']);
    assert.deepStrictEqual(findings.map((f) => coveredText(main, f)), ['$mydomain', 'example.org']);
    assert.deepStrictEqual(
      findings.map((f) => f.related?.map((r) => coveredText(main, { ...f, range: r.range }))),
      [['example.com'], ['example.org']],
    );
    const [alias, mailbox] = findings;
    assert.strictEqual(alias.severity, 'error');
    assert.strictEqual(alias.message, '"example.com" is in both mydestination and virtual_alias_domains: Postfix delivers it locally ("User unknown").');
    assert.match(alias.details ?? '', /in virtual_alias_domains \(as "\$mydomain"\)/);
    assert.match(mailbox.message, /^"example\.org" is in both mydestination and virtual_mailbox_domains:/);
  });

  it('removes the domain from mydestination, with its separator; the result is clean', () => {
    const [alias, mailbox] = lintTexts({ main }, destinationOverlap);
    assert.strictEqual(alias.fixes?.[0].title, 'Remove "example.com" from mydestination');
    const first = applyFix(main, alias);
    assert.match(first, /^mydestination = \$myhostname, localhost, example\.org$/m);
    const second = applyFix(main, mailbox);
    assert.match(second, /^mydestination = \$myhostname, localhost, example\.com$/m);
    const both = applyFix(first, lintTexts({ main: first }, destinationOverlap)[0]);
    assert.match(both, /^mydestination = \$myhostname, localhost$/m);
    assert.deepStrictEqual(lintTexts({ main: both }, destinationOverlap), []);
  });

  it('expands $names in mydestination, including the default list, but offers no fix for them', () => {
    const text = 'myhostname = mail.example.com\nmydestination = $myhostname, localhost\nvirtual_mailbox_domains = MAIL.example.com.\n';
    const [f] = lintTexts({ main: text }, destinationOverlap);
    assert.strictEqual(coveredText(text, f), 'MAIL.example.com.');
    assert.match(f.message, /^"mail\.example\.com" is in both mydestination and virtual_mailbox_domains:/);
    assert.match(f.details ?? '', /mydestination \(as "\$myhostname"\)/);
    assert.deepStrictEqual(f.related?.map((r) => coveredText(text, { ...f, range: r.range })), ['$myhostname']);
    assert.strictEqual(f.fixes, undefined);

    // mydestination left at its default ($myhostname, localhost.$mydomain, localhost).
    const byDefault = 'myhostname = mail.example.com\nmydomain = example.com\nvirtual_alias_domains = localhost.example.com\n';
    const [g] = lintTexts({ main: byDefault }, destinationOverlap);
    assert.strictEqual(coveredText(byDefault, g), 'localhost.example.com');
    assert.strictEqual(g.related, undefined);
    assert.strictEqual(g.fixes, undefined);
  });

  it('says nothing without overlap, for lookup tables, or for names whose value main.cf does not give', () => {
    for (const text of [
      'mydestination = $myhostname, localhost\nvirtual_mailbox_domains = example.net\n',
      'mydestination = example.com\nvirtual_mailbox_domains = hash:/etc/postfix/example.com\n',
      'mydestination = hash:/etc/postfix/local_domains\nvirtual_alias_domains = example.com\n',
      'mydestination = example.com\nvirtual_alias_maps = hash:/etc/postfix/virtual\n',
      'mydestination = example.com\nrelay_domains = example.com\n',
      // myhostname and mydomain come from the machine Postfix runs on: unknown here.
      'virtual_mailbox_domains = vm.localdomain, localhost.localdomain\n',
      'mydestination =\nvirtual_mailbox_domains = example.com\n',
    ]) {
      assert.deepStrictEqual(lintTexts({ main: text }, destinationOverlap), [], text);
    }
  });
});
