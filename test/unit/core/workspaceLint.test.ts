import * as assert from 'assert';
import { configKindOfPath, unreadableReason } from '../../../src/core/discover';
import { looksLikeMainCf, lintSourceFiles } from '../../../src/core/workspaceLint';

describe('which files are linted', () => {
  it('knows main.cf, master.cf and *.cf under a postfix folder by their path', () => {
    assert.strictEqual(configKindOfPath('/etc/postfix/main.cf'), 'postfix-main');
    assert.strictEqual(configKindOfPath('deploy/master.cf'), 'postfix-master');
    assert.strictEqual(configKindOfPath('/etc/postfix/mysql-virtual.cf'), 'postfix-main');
    assert.strictEqual(configKindOfPath('docs/notes.cf'), undefined);
  });

  it('lints a lookup-table config under postfix/ only if it holds main.cf parameters', () => {
    assert.strictEqual(looksLikeMainCf('hosts = 127.0.0.1\nuser = mail\npassword = hunter2\nquery = SELECT 1\n'), false);
    assert.strictEqual(looksLikeMainCf('myhostname = a.example.com\nsmtpd_tls_security_level = may\n'), true);
    const findings = lintSourceFiles([{ file: '/etc/postfix/mysql-virtual.cf', text: 'hosts = db\npassword = hunter2\n' }]);
    assert.deepStrictEqual(findings, []);
  });

  it('groups main.cf with the master.cf of the same folder only', () => {
    const main = 'compatibility_level = 3.6\nmyhostname = a.example.com\nmua_restrictions = permit_sasl_authenticated, reject\n';
    const master = 'submission inet n - y - - smtpd\n  -o smtpd_client_restrictions=$mua_restrictions\n';
    const together = lintSourceFiles([{ file: 'a/main.cf', text: main }, { file: 'a/master.cf', text: master }]);
    assert.ok(!together.some((f) => f.ruleId === 'postfix/unknown-parameter'));
    const apart = lintSourceFiles([{ file: 'a/main.cf', text: main }, { file: 'b/master.cf', text: master }]);
    assert.ok(apart.some((f) => f.ruleId === 'postfix/unknown-parameter' && f.file === 'a/main.cf'));
  });

  it('says why a binary or huge file is skipped', () => {
    assert.match(unreadableReason('a\u0000b')!, /binary/);
    assert.match(unreadableReason('', 60 * 1024 * 1024)!, /60\.0 MB/);
    assert.strictEqual(unreadableReason('myhostname = x\n'), undefined);
    const [f] = lintSourceFiles([{ file: 'main.cf', text: '', byteLength: 60 * 1024 * 1024 }]);
    assert.strictEqual(f.ruleId, 'config/skipped-file');
  });
});
