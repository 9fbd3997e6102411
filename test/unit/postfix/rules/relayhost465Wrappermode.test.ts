import * as assert from 'assert';
import { relayhost465Wrappermode } from '../../../../src/core/postfix/rules/relayhost465Wrappermode';
import { applyFix, coveredText, lintTexts, readFixture, where } from '../../helpers';

const CLIENT = 'smtp      unix  -       -       y       -       -       smtp\n';

describe('postfix/relayhost-465-wrappermode', () => {
  const main = readFixture('postfix/rules/relayhost-465-wrappermode/main.cf');

  it('flags a :465 relayhost without wrapper mode and TLS required, on the relayhost entry', () => {
    const findings = lintTexts({ main }, relayhost465Wrappermode);
    assert.deepStrictEqual(where(findings), ['3:13 postfix/relayhost-465-wrappermode']);
    const [f] = findings;
    assert.strictEqual(f.severity, 'error');
    assert.strictEqual(coveredText(main, f), '[smtp.example.net]:465');
    assert.strictEqual(
      f.message,
      'Port 465 is SMTPS: set smtp_tls_wrappermode = yes and smtp_tls_security_level = encrypt, or deliveries hang.',
    );
    assert.deepStrictEqual(
      f.related?.map((r) => coveredText(main, { ...f, range: r.range })),
      ['smtp_tls_security_level = may'],
    );
  });

  it('adds wrapper mode below relayhost and raises the level in place; the result is clean', () => {
    const [f] = lintTexts({ main }, relayhost465Wrappermode);
    assert.strictEqual(f.fixes?.[0].preferred, true);
    const fixed = applyFix(main, f);
    assert.match(fixed, /^relayhost = \[smtp\.example\.net\]:465\nsmtp_tls_wrappermode = yes\n/m);
    assert.match(fixed, /^smtp_tls_security_level = encrypt$/m);
    assert.doesNotMatch(fixed, /= may/);
    assert.deepStrictEqual(lintTexts({ main: fixed }, relayhost465Wrappermode), []);
  });

  it('offers port 587 with STARTTLS as the other fix, keeping brackets as written', () => {
    const [f] = lintTexts({ main }, relayhost465Wrappermode);
    assert.match(applyFix(main, f, 'Use "[smtp.example.net]:587" (STARTTLS) instead'), /^relayhost = \[smtp\.example\.net\]:587$/m);
    const bare = 'relayhost = smtp.example.net:smtps\n';
    const [g] = lintTexts({ main: bare }, relayhost465Wrappermode);
    assert.strictEqual(coveredText(bare, g), 'smtp.example.net:smtps');
    assert.strictEqual(applyFix(bare, g, 'Use "smtp.example.net:587" (STARTTLS) instead'), 'relayhost = smtp.example.net:587\n');
    assert.strictEqual(applyFix(bare, g), 'relayhost = smtp.example.net:smtps\nsmtp_tls_wrappermode = yes\nsmtp_tls_security_level = encrypt\n');
  });

  it('with wrapper mode on but TLS not required, asks only for the level and offers no port change', () => {
    const text = 'relayhost = [smtp.example.net]:submissions\nsmtp_tls_wrappermode = yes\nsmtp_use_tls = yes\n';
    const [f] = lintTexts({ main: text }, relayhost465Wrappermode);
    assert.ok(f);
    assert.match(f.message, /set smtp_tls_security_level = encrypt, or Postfix refuses it\.$/);
    assert.deepStrictEqual(f.fixes?.map((x) => x.title), ['Add smtp_tls_security_level = encrypt']);
    assert.strictEqual(applyFix(text, f), 'relayhost = [smtp.example.net]:submissions\nsmtp_tls_security_level = encrypt\nsmtp_tls_wrappermode = yes\nsmtp_use_tls = yes\n');
  });

  it('checks each entry of a relayhost list', () => {
    const text = 'relayhost = [a.example.net]:587, [b.example.net]:465\n';
    const findings = lintTexts({ main: text }, relayhost465Wrappermode);
    assert.deepStrictEqual(findings.map((f) => coveredText(text, f)), ['[b.example.net]:465']);
  });

  it('says nothing when the client is set up for SMTPS, or the port is not 465', () => {
    for (const text of [
      'relayhost = [smtp.example.net]:465\nsmtp_tls_wrappermode = yes\nsmtp_tls_security_level = encrypt\n',
      'relayhost = [smtp.example.net]:465\nsmtp_tls_wrappermode = yes\nsmtp_tls_security_level = secure\n',
      'relayhost = [smtp.example.net]:465\nsmtp_tls_wrappermode = yes\nsmtp_enforce_tls = yes\n',
      'relayhost = [smtp.example.net]:587\n',
      'relayhost = [smtp.example.net]\n',
      'relayhost =\n',
      'relayhost = $smarthost\nsmarthost = [smtp.example.net]:465\n',
      'myhostname = mail.example.com\n',
    ]) {
      assert.deepStrictEqual(lintTexts({ main: text }, relayhost465Wrappermode), [], text);
    }
  });

  describe('the obsolete smtp_enforce_tls fallback (postconf(5): used only while smtp_tls_security_level is empty)', () => {
    const WRAP = 'relayhost = [smtp.example.net]:465\nsmtp_tls_wrappermode = yes\n';
    const verdict = (settings: string, master?: string) => {
      const [f, ...rest] = lintTexts({ main: WRAP + settings, master }, relayhost465Wrappermode);
      assert.strictEqual(rest.length, 0);
      return f ? /smtp_tls_security_level is ([^:]*?)(?: \(master|:)/.exec(f.details ?? '')?.[1] ?? f.message : 'clean';
    };

    it('an empty level with smtp_enforce_tls = yes (any case, any blanks) is enough', () => {
      for (const settings of ['smtp_enforce_tls = yes\n', 'smtp_enforce_tls = YES\n', 'smtp_tls_security_level =\nsmtp_enforce_tls = yes\n', 'smtp_tls_security_level =   \nsmtp_enforce_tls =  Yes \n']) {
        assert.strictEqual(verdict(settings), 'clean', settings);
      }
    });

    it('an empty level without it is not: smtp_enforce_tls = no or unset, smtp_use_tls = yes', () => {
      assert.strictEqual(verdict('smtp_enforce_tls = no\n'), 'empty');
      assert.strictEqual(verdict(''), 'empty');
      assert.strictEqual(verdict('smtp_use_tls = yes\n'), '"may (smtp_use_tls = yes)"');
    });

    it('a level that is set wins over smtp_enforce_tls = yes', () => {
      assert.strictEqual(verdict('smtp_tls_security_level = may\nsmtp_enforce_tls = yes\n'), '"may"');
      assert.strictEqual(verdict('smtp_tls_security_level = none\nsmtp_enforce_tls = yes\n'), '"none"');
      assert.strictEqual(verdict('smtp_tls_security_level = dane\nsmtp_enforce_tls = yes\n'), '"dane"', 'opportunistic DANE does not require TLS');
    });

    it('every level from encrypt up is enough on its own, whatever its case', () => {
      for (const level of ['encrypt', 'Encrypt', 'dane-only', 'fingerprint', 'verify', 'secure']) {
        assert.strictEqual(verdict(`smtp_tls_security_level = ${level}\nsmtp_enforce_tls = no\n`), 'clean', level);
      }
    });

    it('in the client service, its -o overrides decide the fallback too', () => {
      // The service empties the level: main.cf's smtp_enforce_tls = yes applies again.
      assert.strictEqual(verdict('smtp_tls_security_level = may\nsmtp_enforce_tls = yes\n', `${CLIENT}  -o smtp_tls_security_level=\n`), 'clean');
      // The service sets the obsolete flag while the level is empty everywhere.
      assert.strictEqual(verdict('', `${CLIENT}  -o smtp_enforce_tls=yes\n`), 'clean');
      // The service sets a level: main.cf's smtp_enforce_tls no longer counts.
      assert.match(verdict('smtp_enforce_tls = yes\n', `${CLIENT}  -o smtp_tls_security_level=may\n`), /^"may"/);
    });
  });

  describe('default_transport: which master.cf service carries the mail', () => {
    const bare = 'relayhost = [smtp.example.net]:465\n';
    const secured = (name: string) => `${name.padEnd(9)} unix  -       -       y       -       -       smtp\n  -o smtp_tls_wrappermode=yes\n  -o smtp_tls_security_level=encrypt\n`;

    it('the service it names, its nexthop part ignored', () => {
      assert.deepStrictEqual(lintTexts({ main: `default_transport = smtps_out:[relay.example.net]\n${bare}`, master: CLIENT + secured('smtps_out') }, relayhost465Wrappermode), []);
    });

    it('"smtp" when it is empty', () => {
      assert.deepStrictEqual(lintTexts({ main: `default_transport =\n${bare}`, master: secured('smtp') }, relayhost465Wrappermode), []);
    });

    it('main.cf alone when master.cf has no such smtp service', () => {
      const findings = lintTexts({ main: `default_transport = custom\n${bare}`, master: CLIENT }, relayhost465Wrappermode);
      assert.strictEqual(findings.length, 1);
      assert.doesNotMatch(findings[0].message, /master\.cf service/);
      assert.deepStrictEqual(findings[0].fixes?.[0].title, 'Add smtp_tls_wrappermode = yes and smtp_tls_security_level = encrypt');
    });
  });

  it('follows -o overrides on the default_transport service in master.cf', () => {
    const bare = 'relayhost = [smtp.example.net]:465\n';
    const good = `${CLIENT}  -o smtp_tls_wrappermode=yes\n  -o smtp_tls_security_level=encrypt\n`;
    assert.deepStrictEqual(lintTexts({ main: bare, master: good }, relayhost465Wrappermode), []);

    const mainGood = 'relayhost = [smtp.example.net]:465\nsmtp_tls_wrappermode = yes\nsmtp_tls_security_level = encrypt\n';
    const breaking = `${CLIENT}  -o smtp_tls_wrappermode=no\n`;
    const [f] = lintTexts({ main: mainGood, master: breaking }, relayhost465Wrappermode);
    assert.ok(f);
    assert.deepStrictEqual(f.related?.map((r) => [r.file, coveredText(breaking, { ...f, range: r.range })]), [['master.cf', '-o smtp_tls_wrappermode=no']]);
    // The culprit is in master.cf: no main.cf edit can fix it, only the port change is offered.
    assert.deepStrictEqual(f.fixes?.map((x) => x.title), ['Use "[smtp.example.net]:587" (STARTTLS) instead']);

    // Another service (relay) with SMTPS settings does not help mail that goes through "smtp".
    const relayOnly = `${CLIENT}relay     unix  -       -       y       -       -       smtp\n  -o smtp_tls_wrappermode=yes\n  -o smtp_tls_security_level=encrypt\n`;
    assert.strictEqual(lintTexts({ main: bare, master: relayOnly }, relayhost465Wrappermode).length, 1);
    const viaDefault = `default_transport = smtps_out\n${bare}`;
    const custom = `smtps_out unix  -       -       y       -       -       smtp\n  -o smtp_tls_wrappermode=yes\n  -o smtp_tls_security_level=encrypt\n`;
    assert.deepStrictEqual(lintTexts({ main: viaDefault, master: custom }, relayhost465Wrappermode), []);
  });
});
