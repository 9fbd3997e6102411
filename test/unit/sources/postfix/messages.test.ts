// The team's rule for diagnostics: one sentence naming the problem and the fix, at most 120 characters;
// the why and the runtime error texts are in the finding's details and on the rule's docs page.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { lintPostfix } from '../../../../src/core/sources/postfix/lintPostfix';
import { FIXTURES } from '../../helpers';

/** Every main.cf/master.cf pair under test/fixtures/postfix, plus cases for the rules no fixture triggers. */
function inputs(): { main?: string; master?: string }[] {
  const out: { main?: string; master?: string }[] = [];
  const walk = (dir: string) => {
    const names = fs.readdirSync(dir);
    const read = (n: string) => (names.includes(n) ? fs.readFileSync(path.join(dir, n), 'utf8') : undefined);
    if (names.includes('main.cf') || names.includes('master.cf')) out.push({ main: read('main.cf'), master: read('master.cf') });
    for (const n of names) if (fs.statSync(path.join(dir, n)).isDirectory()) walk(path.join(dir, n));
  };
  walk(path.join(FIXTURES, 'postfix'));
  out.push(
    { main: 'smtpd_recipient_restrictions = permit_mynetworks, \\\nreject_unauth_destination, reject_non_fqdn_sendr, check_relay_domains\nmessage_size_limit = 104857600\n' },
    { main: 'relayhost = [a.example]:587\nsmtp_sasl_auth_enable = yes\nsmtp_sasl_password_maps = hash:/x\nsmtp_sasl_security_options =\nsmtp_tls_security_level = may\nsmtpd_tls_eecdh_grade = strong\nvirtual_maps = hash:/v\n' },
    { main: 'mydestination = $myhostname, localhost, example.com\n', master: 'smtp inet n - y - - smtpd\n' },
  );
  return out;
}

describe('Postfix rule messages', () => {
  const findings = [
    ...inputs().flatMap((t) =>
      lintPostfix({ main: t.main === undefined ? undefined : { file: 'main.cf', text: t.main }, master: t.master === undefined ? undefined : { file: 'master.cf', text: t.master } }),
    ),
    ...lintPostfix({ main: { file: 'main.cf', text: 'smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\n' }, configDirFiles: new Map([['sasl_passwd', { mtimeMs: 0 }]]) }),
  ];

  it('come from every Postfix rule in these cases', () => {
    const rules = new Set(findings.map((f) => f.ruleId));
    assert.strictEqual(rules.size, 31, `only ${rules.size} rules: ${[...rules].join(', ')}`);
  });

  it('are one sentence of at most 120 characters', () => {
    const long = findings.filter((f) => f.message.length > 120).map((f) => `${f.ruleId}: ${f.message.length} ${f.message}`);
    assert.deepStrictEqual(long, []);
    for (const f of findings) {
      // One sentence: no full stop followed by another sentence (abbreviations and versions aside).
      assert.ok(!/[a-z)"]\. [A-Z]/.test(f.message), `${f.ruleId} has several sentences: ${f.message}`);
    }
  });
});
