import * as assert from 'assert';
import { parseMasterCf, serviceCommand, serviceName, serviceType } from '../../../../src/core/sources/postfix/masterCf';

const parse = (text: string) => parseMasterCf({ file: 'master.cf', text });
const slice = (text: string, s: { start: number; end: number }) => text.slice(s.start, s.end);

describe('master.cf parser', () => {
  it('reads the 8 fields and the command arguments', () => {
    const cf = parse('smtp      inet  n       -       y       -       -       smtpd -v\n');
    const [s] = cf.services;
    assert.deepStrictEqual(s.fields.map((f) => f.text), ['smtp', 'inet', 'n', '-', 'y', '-', '-', 'smtpd', '-v']);
    assert.strictEqual(serviceName(s), 'smtp');
    assert.strictEqual(serviceType(s), 'inet');
    assert.strictEqual(serviceCommand(s), 'smtpd');
  });

  it('reads -o overrides on continuation lines with exact ranges, skipping comments between them', () => {
    const text = 'submission inet n - y - - smtpd\n  -o syslog_name=postfix/submission\n# off for now\n  -osmtpd_tls_auth_only=yes\n';
    const [s] = parse(text).services;
    assert.deepStrictEqual(s.overrides.map((o) => [o.name, o.value]), [
      ['syslog_name', 'postfix/submission'],
      ['smtpd_tls_auth_only', 'yes'],
    ]);
    assert.strictEqual(slice(text, s.overrides[0].nameSpan), 'syslog_name');
    assert.strictEqual(slice(text, s.overrides[0].valueSpan), 'postfix/submission');
    assert.strictEqual(slice(text, s.overrides[1].span), '-osmtpd_tls_auth_only=yes');
    assert.strictEqual(s.lastLine, 3);
  });

  it('reads { } grouped values that contain spaces', () => {
    const text = 'submission inet n - y - - smtpd\n  -o { smtpd_client_restrictions = permit_sasl_authenticated, reject }\n';
    const [s] = parse(text).services;
    assert.strictEqual(s.overrides[0].name, 'smtpd_client_restrictions');
    assert.strictEqual(s.overrides[0].value, 'permit_sasl_authenticated, reject');
    assert.strictEqual(slice(text, s.overrides[0].valueSpan), 'permit_sasl_authenticated, reject');
  });

  it('reports an -o without "=" (spaces around "=")', () => {
    const cf = parse('smtp inet n - y - - smtpd\n  -o smtpd_tls_security_level = may\n');
    assert.strictEqual(cf.problems.length, 1);
    assert.strictEqual(cf.problems[0].kind, 'override-spacing');
    assert.deepStrictEqual(parse('smtp inet n - y - - smtpd\n  -o smtpd_tls_security_level\n').problems.map((p) => p.kind), ['bad-override']);
  });

  it('finds commented-out services', () => {
    const cf = parse('smtp inet n - y - - smtpd\n#submission inet n       -       y       -       -       smtpd\n#  -o syslog_name=postfix/submission\n');
    assert.deepStrictEqual(cf.commentedServices.map((c) => [c.name, c.type, c.line]), [['submission', 'inet', 1]]);
  });
});

describe('master.cf daemon options', () => {
  it('end at the first argument that is not an option: "-oi" in a pipe command is the command\'s', () => {
    const text = 'spamassassin unix - n n - - pipe\n  flags=R user=spamd argv=/usr/bin/spamc -f -e /usr/sbin/sendmail -oi -f ${sender} ${recipient}\n';
    const cf = parseMasterCf({ file: 'master.cf', text });
    assert.deepStrictEqual(cf.services[0].overrides, []);
    assert.deepStrictEqual(cf.problems, []);
    const daemon = parseMasterCf({ file: 'master.cf', text: 'smtp inet n - y - - smtpd -v -o smtpd_tls_security_level=may\n' });
    assert.deepStrictEqual(daemon.services[0].overrides.map((o) => o.name), ['smtpd_tls_security_level']);
  });
});
