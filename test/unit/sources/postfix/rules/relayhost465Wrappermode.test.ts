import * as assert from 'assert';
import { relayhost465Wrappermode } from '../../../../../src/core/sources/postfix/rules/relayhost465Wrappermode';
import { lintTexts, readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

const CLIENT = 'smtp      unix  -       -       y       -       -       smtp\n';
const main = readFixture('postfix/rules/relayhost-465-wrappermode/main.cf');
const mainFixed = main
  .replace('relayhost = [smtp.example.net]:465\n', 'relayhost = [smtp.example.net]:465\nsmtp_tls_wrappermode = yes\n')
  .replace('smtp_tls_security_level = may\n', 'smtp_tls_security_level = encrypt\n');
const bare = 'relayhost = [smtp.example.net]:465\n';
const secured = (name: string) => `${name.padEnd(9)} unix  -       -       y       -       -       smtp\n  -o smtp_tls_wrappermode=yes\n  -o smtp_tls_security_level=encrypt\n`;

describe('postfix/relayhost-465-wrappermode', () => {
  testPostfixRule(relayhost465Wrappermode, {
    valid: [
      { name: 'the fixed file', code: mainFixed },
      // The client set up for SMTPS, or a port that is not 465.
      'relayhost = [smtp.example.net]:465\nsmtp_tls_wrappermode = yes\nsmtp_tls_security_level = encrypt\n',
      'relayhost = [smtp.example.net]:465\nsmtp_tls_wrappermode = yes\nsmtp_tls_security_level = secure\n',
      'relayhost = [smtp.example.net]:465\nsmtp_tls_wrappermode = yes\nsmtp_enforce_tls = yes\n',
      'relayhost = [smtp.example.net]:587\n',
      'relayhost = [smtp.example.net]\n',
      'relayhost =\n',
      'relayhost = $smarthost\nsmarthost = [smtp.example.net]:465\n',
      'myhostname = mail.example.com\n',
      // default_transport: which master.cf service carries the mail.
      { name: 'the service default_transport names, its nexthop part ignored', code: { main: `default_transport = smtps_out:[relay.example.net]\n${bare}`, master: CLIENT + secured('smtps_out') } },
      { name: 'an empty default_transport means "smtp"', code: { main: `default_transport =\n${bare}`, master: secured('smtp') } },
      { name: 'wrapper mode and TLS set by -o on the default_transport service', code: { main: bare, master: `${CLIENT}  -o smtp_tls_wrappermode=yes\n  -o smtp_tls_security_level=encrypt\n` } },
      { name: 'a custom default_transport service set up for SMTPS', code: { main: `default_transport = smtps_out\n${bare}`, master: secured('smtps_out') } },
    ],
    invalid: [
      {
        name: 'a :465 relayhost without wrapper mode and TLS required, on the relayhost entry; wrapper mode added below relayhost and the level raised in place, or port 587',
        code: main,
        findings: [
          {
            at: '3:13',
            text: '[smtp.example.net]:465',
            severity: 'error',
            message: 'Port 465 is SMTPS: set smtp_tls_wrappermode = yes and smtp_tls_security_level = encrypt, or deliveries hang.',
            related: [{ file: 'main.cf', text: 'smtp_tls_security_level = may' }],
            preferred: ['Add smtp_tls_wrappermode = yes and smtp_tls_security_level = encrypt'],
            output: mainFixed,
            outputs: { 'Use "[smtp.example.net]:587" (STARTTLS) instead': /^relayhost = \[smtp\.example\.net\]:587$/m },
          },
        ],
      },
      {
        name: 'port 587 offered keeping brackets as written',
        code: 'relayhost = smtp.example.net:smtps\n',
        findings: [
          {
            text: 'smtp.example.net:smtps',
            output: 'relayhost = smtp.example.net:smtps\nsmtp_tls_wrappermode = yes\nsmtp_tls_security_level = encrypt\n',
            outputs: { 'Use "smtp.example.net:587" (STARTTLS) instead': 'relayhost = smtp.example.net:587\n' },
          },
        ],
      },
      {
        name: 'wrapper mode on but TLS not required: only the level asked for, no port change',
        code: 'relayhost = [smtp.example.net]:submissions\nsmtp_tls_wrappermode = yes\nsmtp_use_tls = yes\n',
        findings: [
          {
            message: /set smtp_tls_security_level = encrypt, or Postfix refuses it\.$/,
            fixes: ['Add smtp_tls_security_level = encrypt'],
            output: 'relayhost = [smtp.example.net]:submissions\nsmtp_tls_security_level = encrypt\nsmtp_tls_wrappermode = yes\nsmtp_use_tls = yes\n',
          },
        ],
      },
      { name: 'each entry of a relayhost list', code: 'relayhost = [a.example.net]:587, [b.example.net]:465\n', findings: [{ text: '[b.example.net]:465' }] },
      {
        name: 'main.cf alone when master.cf has no default_transport smtp service',
        code: { main: `default_transport = custom\n${bare}`, master: CLIENT },
        findings: [{ notMessage: /master\.cf service/, fixes: ['Add smtp_tls_wrappermode = yes and smtp_tls_security_level = encrypt', 'Use "[smtp.example.net]:587" (STARTTLS) instead'] }],
      },
      {
        // The culprit is in master.cf: no main.cf edit can fix it, only the port change is offered.
        name: 'an -o on the default_transport service that turns wrapper mode off',
        code: { main: 'relayhost = [smtp.example.net]:465\nsmtp_tls_wrappermode = yes\nsmtp_tls_security_level = encrypt\n', master: `${CLIENT}  -o smtp_tls_wrappermode=no\n` },
        findings: [{ related: [{ file: 'master.cf', text: '-o smtp_tls_wrappermode=no' }], fixes: ['Use "[smtp.example.net]:587" (STARTTLS) instead'] }],
      },
      {
        name: 'another service (relay) with SMTPS settings does not help mail that goes through "smtp"',
        code: { main: bare, master: `${CLIENT}relay     unix  -       -       y       -       -       smtp\n  -o smtp_tls_wrappermode=yes\n  -o smtp_tls_security_level=encrypt\n` },
        findings: [{}],
      },
    ],
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
});
