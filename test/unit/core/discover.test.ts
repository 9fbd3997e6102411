import * as assert from 'assert';
import { isLookupTableConfig, isOwnReport, mapConfigFileNames } from '../../../src/core/discover';
import { POSTFIX_DEFAULTS } from '../../../src/core/sources/postfix/parameters.generated';
import { formatJson } from '../../../src/core/report/json';
import { formatSarif } from '../../../src/core/report/sarif';
import { lintPostfixGroups } from '../../../src/core/workspaceLint';
import { allRuleMetas } from '../../../src/core/rules';
import { redactValue, isSecretName } from '../../../src/core/redact';

const known = (name: string) => POSTFIX_DEFAULTS.has(name);

describe('which files are configs', () => {
  describe('lookup-table client configs (ldap:, mysql:, pgsql:, sqlite:, memcache:)', () => {
    const ldap = 'server_host = ldap://ldap.example.com\nsearch_base = dc=example,dc=com\nquery_filter = (mail=%s)\nresult_attribute = uid\nbind = yes\nbind_dn = cn=postfix,dc=example,dc=com\nbind_pw = L-secret-9\nversion = 3\n';
    const mysql = 'hosts = 127.0.0.1\nuser = mailuser\npassword = My-secret-9\ndbname = mail\nquery = SELECT 1 FROM domains WHERE name=\'%s\'\n';
    const sqlite = 'dbpath = /var/lib/postfix/mail.sqlite\nquery = SELECT goto FROM alias WHERE address=\'%s\'\n';
    const memcache = 'memcache = inet:127.0.0.1:11211\nkey_format = %s\nttl = 3600\n';

    it('are recognised by their keys, and a main.cf is not', () => {
      for (const text of [ldap, mysql, sqlite, memcache]) assert.strictEqual(isLookupTableConfig(text, known), true, text);
      assert.strictEqual(isLookupTableConfig('myhostname = mail.example.com\nrelayhost = [smtp.example.com]:587\ndebuglevel = 2\n', known), false);
      // A main.cf with one stray map key is still a main.cf.
      assert.strictEqual(isLookupTableConfig('myhostname = a.example\nmydomain = example\nrelayhost = b\nhosts = x\n', known), false);
    });

    it('are never linted as main.cf, even when the editor says the file is one, nor when main.cf names them', () => {
      const forced = lintPostfixGroups([{ file: '/etc/postfix/ldap-users.cf', text: ldap, kind: 'postfix-main' }]);
      assert.deepStrictEqual([forced.findings, forced.instances], [[], []]);
      // Keys nobody knows, but main.cf uses the file as proxy:mysql: table.
      const odd = 'sql_thing = x\nother_key = y\n';
      const main = 'compatibility_level = 3.6\nvirtual_alias_maps = proxy:mysql:/etc/postfix/odd-map.cf, hash:/etc/postfix/virtual\n';
      assert.deepStrictEqual([...mapConfigFileNames(main)], ['odd-map.cf']);
      const grouped = lintPostfixGroups([
        { file: '/etc/postfix/main.cf', text: main },
        { file: '/etc/postfix/odd-map.cf', text: odd, kind: 'postfix-main' },
      ]);
      assert.ok(!grouped.findings.some((f) => f.file.endsWith('odd-map.cf')), JSON.stringify(grouped.findings));
    });

    it('their passwords count as secrets (bind_pw)', () => {
      assert.ok(isSecretName('bind_pw') && isSecretName('password') && !isSecretName('bind_dn'));
      assert.strictEqual(redactValue('bind_pw', 'L-secret-9'), '••••••');
    });
  });

  it("SMTP Doctor's own JSON and SARIF reports are recognised (never read as application config)", () => {
    const json = formatJson({ findings: [{ rule: 'smtp/port-refused', severity: 'error', file: 'a.js', line: 1, column: 1, endLine: 1, endColumn: 2, message: 'smtp.example.com:587 refused' }], endpoints: [] });
    assert.strictEqual(isOwnReport(json), true);
    assert.strictEqual(isOwnReport(formatSarif({ findings: [], endpoints: [] }, allRuleMetas(), '0.0.0')), true);
    assert.strictEqual(isOwnReport('{ "smtp": { "host": "smtp.example.com", "findings": [] } }'), false);
  });
});
