// Postfix files written as templates: masked so Postfix's parser reads the static parts, with every range
// still on the original text, and values made by template code treated as unknown.
import * as assert from 'assert';
import { configKindOfPath, instanceKey, isNamedMainCf } from '../../../../src/core/discover';
import { lintPostfix } from '../../../../src/core/sources/postfix/lintPostfix';
import { parseMainCf } from '../../../../src/core/sources/postfix/mainCf';
import { parseMasterCf } from '../../../../src/core/sources/postfix/masterCf';
import { isTemplated, readTemplate } from '../../../../src/core/sources/postfix/template';
import { lintPostfixGroups } from '../../../../src/core/workspaceLint';

const lint = (file: string, text: string, master?: { file: string; text: string }) => lintPostfix({ main: { file, text }, master });
const rules = (file: string, text: string) => lint(file, text).map((f) => f.ruleId);

describe('Postfix templates', () => {
  it('reads main.cf.j2, .erb, .tpl, .in, postfix_main.cf.j2, main.cf-el8.erb and postfix_main_cf.tmpl as Postfix files', () => {
    for (const name of ['main.cf.j2', 'main.cf.erb', 'main.cf.tpl', 'main.cf.in', 'main.cf.tmpl', 'postfix_main.cf.j2', 'main.cf-el8.erb', 'postfix_main_cf.tmpl', 'etc_postfix_main.cf.j2', 'main.cf.proto']) {
      assert.strictEqual(configKindOfPath(`/r/templates/${name}`), 'postfix-main', name);
      assert.ok(isNamedMainCf(`/r/templates/${name}`), name);
    }
    for (const name of ['master.cf.j2', 'master.cf.FreeBSD.erb', 'postfix_master_cf.tmpl', 'etc_postfix_master.cf']) {
      assert.strictEqual(configKindOfPath(`/r/templates/${name}`), 'postfix-master', name);
    }
    for (const name of ['virtual_domain.cf', 'domain.cf.j2', 'main.cf.swp', 'mainly.txt']) assert.strictEqual(configKindOfPath(`/r/x/${name}`), undefined, name);
    // main.cf.j2 pairs with master.cf.j2, not with a master.cf next to them.
    assert.strictEqual(instanceKey('/r/main.cf.j2'), instanceKey('/r/master.cf.j2'));
    assert.notStrictEqual(instanceKey('/r/main.cf.j2'), instanceKey('/r/master.cf'));
  });

  it('masks Jinja, ERB, Go, Template Toolkit, Mason and FreeMarker code, keeping length and lines', () => {
    const samples: [string, string][] = [
      ['main.cf.j2', 'myhostname = {{ fqdn }}\n{% if relay %}\nrelayhost = [{{ relay }}]:587\n{% endif %}\n{# note #}\n'],
      ['main.cf.erb', 'myhostname = <%= @fqdn %>\n<% if @relay -%>\nrelayhost = <%= @relay %>\n<% end -%>\n<%# comment %>\n'],
      ['main.cf.tmpl', 'myhostname = {{ .Env.HOSTNAME }}\n{{ if .Relay }}\nrelayhost = {{ .Relay }}\n{{ end }}\n'],
      ['main.cf.tt', 'myhostname = [% fqdn %]\n[% IF relay %]\nrelayhost = [% relay %]\n[% END %]\n'],
      ['main.cf.mas', '<%args>\n$hostname\n</%args>\nmyhostname = <% $hostname %>\n% if ($relay) {\nrelayhost = <% $relay %>\n% }\n'],
      ['main.cf.ftl', 'myhostname = ${hostname}\n<#if relay??>\nrelayhost = ${relay}\n</#if>\n'],
    ];
    for (const [file, text] of samples) {
      const view = readTemplate(text, file);
      assert.ok(view, file);
      assert.strictEqual(view.text.length, text.length, file);
      assert.deepStrictEqual(view.text.split('\n').map((l) => l.length), text.split('\n').map((l) => l.length), file);
      const main = parseMainCf({ file, text });
      assert.deepStrictEqual(main.problems, [], file);
      assert.ok(isTemplated(main.effective.get('myhostname')!.value), file);
      // relayhost is set only under a condition: its value is unknown.
      assert.ok(isTemplated(main.effective.get('relayhost')!.value), file);
      assert.deepStrictEqual(lint(file, text).filter((f) => f.severity === 'error'), [], file);
    }
  });

  it('recognises whole-value placeholders: PH_NAME, _NAME_, %%name%%, @NAME@, sed targets and envsubst ${NAME}', () => {
    const plain = 'myhostname = PH_HOSTNAME\nmydomain = _DOMAIN_\nrelayhost = [%%smtp%%]:587\nmyorigin = @FQDN@\nmydestination = DOMAIN_NAME, localhost\n';
    const main = parseMainCf({ file: 'main.cf', text: plain });
    for (const n of ['myhostname', 'mydomain', 'relayhost', 'myorigin']) assert.ok(isTemplated(main.effective.get(n)!.value), n);
    assert.deepStrictEqual(rules('main.cf', plain).filter((r) => ['postfix/hostname-not-fqdn', 'postfix/relayhost-port-25', 'postfix/relayhost-mx-lookup'].includes(r)), []);
    // envsubst only in files that are templates: ${NAME} in capitals is not a Postfix name.
    const envsubst = 'myhostname = ${MYHOSTNAME}\nmessage_size_limit = ${SIZE}\nrelayhost = [${RELAY_HOST}]:${RELAY_PORT}\n';
    assert.deepStrictEqual(lint('main.cf.template', envsubst).filter((f) => f.severity === 'error' || f.ruleId === 'postfix/undefined-reference'), []);
    // Words that are Postfix's own stay: tls_ssl_options, environment lists, comments.
    const own = '# see README_FILES\ntls_ssl_options = NO_COMPRESSION, NO_RENEGOTIATION\nimport_environment = MAIL_CONFIG MAIL_DEBUG TZ\n';
    assert.strictEqual(readTemplate(own, 'main.cf'), undefined);
    // Postfix's ${{...}} expressions and inline:{{key=value}} tables are not template code.
    assert.strictEqual(readTemplate('append_dot_mydomain = ${{$compatibility_level} <level {1} ? {yes} : {no}}\ntransport_maps = inline:{{.onion=smtp}}\n', 'main.cf'), undefined);
  });

  it('if/else branches make no duplicates; a setting outside any branch still can', () => {
    const text = '{% if tls %}\nsmtpd_tls_security_level = may\n{% else %}\nsmtpd_tls_security_level = none\n{% endif %}\nbiff = no\nbiff = yes\n';
    const findings = lint('main.cf.j2', text).filter((f) => f.ruleId === 'postfix/duplicate-parameter');
    assert.deepStrictEqual(findings.map((f) => f.range.start.line + 1), [6]);
    // The level depends on the branch: unknown, so no tls-disabled for "none".
    assert.deepStrictEqual(lint('main.cf.j2', text).filter((f) => f.ruleId === 'postfix/tls-disabled' && f.message.startsWith('smtpd_')), []);
  });

  it('does not read macro bodies as output, and lets template output that adds statements hide absences', () => {
    const master = '{% macro flag(v) -%}\n{%- if v -%}\ny\n{%- else -%}\nn\n{%- endif -%}\n{%- endmacro %}\nsmtp inet n - y - - smtpd\n';
    assert.deepStrictEqual(parseMasterCf({ file: 'master.cf.j2', text: master }).services.map((s) => s.fields[0].text), ['smtp']);
    const opaque = 'myhostname = mail.example.com\n{{ extra_main_cf }}\n';
    assert.deepStrictEqual(rules('main.cf.j2', opaque).filter((r) => ['postfix/no-compatibility-level', 'postfix/tls-disabled'].includes(r)), []);
  });

  it('checks the static parts of a template normally', () => {
    const text = 'myhostname = {{ fqdn }}\nsmtpd_tls_auth_only = maybe\nsmtpd_sender_restrictions = reject_non_fqdn_sendr\n';
    assert.deepStrictEqual(rules('main.cf.j2', text).filter((r) => r === 'postfix/invalid-value' || r === 'postfix/unknown-restriction').sort(), ['postfix/invalid-value', 'postfix/unknown-restriction']);
  });

  it('checks a template main.cf with its master.cf template, and pairs a template with a static file of the same name', () => {
    const main = { file: '/r/etc_postfix_main.cf.j2', text: 'smtpd_sasl_auth_enable = yes\nsmtpd_tls_auth_only = yes\n' };
    const master = { file: '/r/etc_postfix_master.cf', text: 'submission inet n - y - - smtpd\n  -o smtpd_tls_security_level=encrypt\n' };
    const { instances, findings } = lintPostfixGroups([main, master]);
    assert.strictEqual(instances.length, 1);
    assert.deepStrictEqual(findings.filter((f) => f.ruleId === 'postfix/submission-insecure'), []);
    // Two main.cf files for one folder are two configurations, not one file dropped.
    assert.strictEqual(lintPostfixGroups([{ file: '/s/main.cf', text: 'biff = no\n' }, { file: '/s/main.cf.j2', text: 'biff = {{ b }}\n' }, { file: '/s/master.cf', text: 'smtp inet n - y - - smtpd\n' }]).instances.length, 2);
  });
});
