import * as assert from 'assert';
import { completionsAt, definitionOf, nameAt, occurrencesOf, outlineOf, overrideAt } from '../../../../src/core/sources/postfix/editing';
import { parsePostfixInstance } from '../../../../src/core/sources/postfix/instance';

/** Completion labels at the `|` of a text (the bar is removed). */
function labelsAt(kind: 'main' | 'master', withBar: string): string[] {
  const offset = withBar.indexOf('|');
  return completionsAt(kind, withBar.replace('|', ''), offset).items.map((i) => i.label);
}

describe('editing Postfix configs', () => {
  it('completes parameter names where a name goes, with the word typed so far as the range', () => {
    const text = 'myhostname = mail.example.com\nsmtpd_tls_sec';
    const c = completionsAt('main', text, text.length);
    assert.ok(c.items.some((i) => i.label === 'smtpd_tls_security_level' && i.insertText === 'smtpd_tls_security_level = '));
    assert.deepStrictEqual(c.replace, { start: text.length - 'smtpd_tls_sec'.length, end: text.length });
    assert.ok(labelsAt('main', 'mydomain = $my|').includes('myhostname'), 'after $');
    assert.ok(labelsAt('master', 'submission inet n - y - - smtpd\n  -o smtpd_tls_sec|').includes('smtpd_tls_security_level'), 'after -o');
  });

  it('completes values of known kinds: yes/no, TLS levels, restrictions, table types', () => {
    assert.deepStrictEqual(labelsAt('main', 'smtpd_use_tls = |'), ['yes', 'no']);
    assert.deepStrictEqual(labelsAt('main', 'smtp_tls_security_level = en|'), ['none', 'may', 'encrypt', 'dane', 'dane-only', 'fingerprint', 'verify', 'secure']);
    assert.ok(labelsAt('main', 'smtpd_recipient_restrictions = permit_mynetworks, |').includes('reject_unauth_destination'));
    assert.ok(labelsAt('main', 'smtpd_recipient_restrictions =\n    permit_mynetworks,\n    |').includes('reject_unauth_destination'), 'on a continuation line');
    assert.ok(labelsAt('main', 'virtual_alias_maps = |').includes('hash:'));
    assert.deepStrictEqual(labelsAt('master', 'submission inet n - y - - smtpd\n  -o smtpd_tls_security_level=|'), ['none', 'may', 'encrypt']);
    assert.deepStrictEqual(labelsAt('main', '# smtpd_use_tls = |'), [], 'nothing in a comment');
  });

  it('finds where a $name is defined and everywhere it is used, in main.cf and master.cf', () => {
    const main = 'myhostname = mail.example.com\nmydomain = example.com\nmyorigin = $mydomain\nsmtpd_banner = $myhostname ESMTP\nmydomain = example.org\n';
    const master = 'submission inet n - y - - smtpd\n  -o mydomain=sub.example.com\n  -o syslog_name=$mydomain/submission\n';
    const instance = parsePostfixInstance({ main: { file: 'main.cf', text: main }, master: { file: 'master.cf', text: master } });
    const ref = nameAt(instance, 'main', main.indexOf('$mydomain') + 2);
    assert.strictEqual(ref?.name, 'mydomain');
    const def = definitionOf(instance, 'mydomain');
    assert.deepStrictEqual([def?.file, main.slice(def!.span.start, def!.span.end), def!.span.start], ['main', 'mydomain', main.lastIndexOf('mydomain =')], 'the definition in force: the last one');
    const uses = occurrencesOf(instance, 'mydomain').map((o) => `${o.file}:${o.role}:${(o.file === 'main' ? main : master).slice(o.span.start, o.span.end)}`);
    assert.deepStrictEqual(uses, ['main:definition:mydomain', 'main:reference:mydomain', 'main:definition:mydomain', 'master:definition:mydomain', 'master:reference:mydomain']);
  });

  it('outlines main.cf statements (secrets masked) and master.cf services with their overrides; knows the override under the cursor', () => {
    const main = 'myhostname = mail.example.com\nsmtp_sasl_password_maps = static:user:Secret-7\n';
    const master = 'submission inet n - y - - smtpd\n  -o smtpd_tls_security_level=encrypt\n';
    const instance = parsePostfixInstance({ main: { file: 'main.cf', text: main }, master: { file: 'master.cf', text: master } });
    const mask = (name: string, value: string) => (/pass/.test(name) ? '••••••' : value);
    assert.deepStrictEqual(outlineOf(instance, 'main', mask).map((s) => [s.name, s.detail]), [['myhostname', 'mail.example.com'], ['smtp_sasl_password_maps', '••••••']]);
    const [svc] = outlineOf(instance, 'master', mask);
    assert.deepStrictEqual([svc.name, svc.detail, svc.children.map((c) => `${c.name}=${c.detail}`)], ['submission', 'inet · smtpd', ['smtpd_tls_security_level=encrypt']]);
    const o = overrideAt(instance, master.indexOf('encrypt'));
    assert.deepStrictEqual([o?.service, o?.name, o?.value], ['submission (inet)', 'smtpd_tls_security_level', 'encrypt']);
  });
});
