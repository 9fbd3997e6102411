import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { mayHoldAppTransport } from '../../../../src/core/appLint';
import { checkFiles } from '../../../../src/core/check';
import { parseKeyTable, parseSigningTable, selectorsFromOpendkimConf } from '../../../../src/core/sources/dkimSigning/opendkim';
import { parseUcl, selectorsFromRspamd } from '../../../../src/core/sources/dkimSigning/rspamd';
import { type DkimSelector, dkimConfigKind, dkimTargets, findDkimSelectors, isDkimDomainName, isDkimSelectorName, splitDkimName } from '../../../../src/core/sources/dkimSigning/selectors';
import { CONFIG_GLOBS, sourceOf } from '../../../../src/core/sources/registry';
import { collectConfigFiles } from '../../../../src/core/fileWalk';
import type { DkimKeyTarget } from '../../../../src/core/live/liveTargets';
import { EnvResolver, parseEnvFile } from '../../../../src/core/sources/app/envFiles';
import { extractConfigTransports } from '../../../../src/core/sources/app/extractFromConfig';
import { extractScriptTransports } from '../../../../src/core/sources/app/extractFromScript';
import { selectorsFromTransports } from '../../../../src/core/sources/app/dkimOption';
import type { TransportDefinition } from '../../../../src/core/sources/app/transport';
import { REPO_ROOT, textInRange } from '../../helpers';

/** The selectors nodemailer's dkim option names, listed as findDkimSelectors lists them. */
const transportSelectors = (transports: readonly TransportDefinition[]) => findDkimSelectors([], selectorsFromTransports(transports));

/** selector@domain = "text the range covers" (source) [keyPath]. */
function show(text: string, selectors: readonly DkimSelector[]): string[] {
  return selectors.map((s) => `${s.selector}@${s.domain} = ${JSON.stringify(textInRange(text, s.range))} (${s.source})${s.keyPath ? ` [${s.keyPath}]` : ''}`);
}

const noEnv = new EnvResolver([]);

describe('DKIM selector discovery', () => {
  describe('names', () => {
    it('knows the signing files by name, in any case and folder', () => {
      assert.strictEqual(dkimConfigKind('/etc/opendkim/KeyTable'), 'opendkim-keytable');
      assert.strictEqual(dkimConfigKind('C:\\cfg\\opendkim\\key.table'), 'opendkim-keytable');
      assert.strictEqual(dkimConfigKind('/etc/opendkim/SigningTable'), 'opendkim-signingtable');
      assert.strictEqual(dkimConfigKind('signing.table'), 'opendkim-signingtable');
      assert.strictEqual(dkimConfigKind('/etc/opendkim.conf'), 'opendkim-conf');
      assert.strictEqual(dkimConfigKind('/etc/rspamd/local.d/dkim_signing.conf'), 'rspamd');
      assert.strictEqual(dkimConfigKind('/etc/rspamd/override.d/dkim_signing.conf'), 'rspamd');
      for (const p of ['/etc/opendkim/keys/mail.private', 'main.cf', 'KeyTable.bak', 'dkim.conf']) assert.strictEqual(dkimConfigKind(p), undefined, p);
    });

    it('the scanners read them: discovery globs, the walker and the source registry (DKIM signing)', () => {
      const globs = CONFIG_GLOBS.join(' ');
      for (const name of ['KeyTable', 'keytable', 'key.table', 'SigningTable', 'signing.table', 'opendkim.conf', 'dkim_signing.conf']) {
        assert.ok(globs.includes(name), `CONFIG_GLOBS names ${name}`);
        assert.ok(sourceOf({ file: `/x/${name}` })?.id === 'dkim-signing' && mayHoldAppTransport(`/x/${name}`, ''), name);
      }
      const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
      assert.deepStrictEqual(pkg.contributes.configuration.properties['smtpDoctor.include'].default, [...CONFIG_GLOBS]);
    });

    it('selector and domain names: DNS labels, no placeholders', () => {
      for (const s of ['default', 'mail', '2024', 's1.sub', 'google', 'k_1']) assert.ok(isDkimSelectorName(s), s);
      for (const s of ['', '%', '$selector', 'a b', '-x', 'x.', '*']) assert.ok(!isDkimSelectorName(s), s);
      for (const d of ['example.com', 'example.com.', 'mail.example.co.uk', 'localhost']) assert.ok(isDkimDomainName(d), d);
      for (const d of ['', '%', '$domain', '*.example.com', 'a..b', 'exa mple.com']) assert.ok(!isDkimDomainName(d), d);
      assert.deepStrictEqual(splitDkimName('mail._domainkey.example.com'), { selector: 'mail', domain: 'example.com' });
      assert.deepStrictEqual(splitDkimName('s1.x._DomainKey.example.com.'), { selector: 's1.x', domain: 'example.com' });
      assert.strictEqual(splitDkimName('mykey'), undefined);
    });
  });

  describe('OpenDKIM', () => {
    it('KeyTable: domain:selector:keyfile, with the selector\'s exact range and the key path (never inline key data)', () => {
      const text = [
        '# key name                   domain:selector:private key',
        'mail._domainkey.example.com  example.com:mail:/etc/opendkim/keys/example.com/mail.private',
        '\t2024._domainkey.example.org\texample.org:2024:/etc/opendkim/keys/example.org.key   # comment',
        'inline                       example.net:s1:MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJc',
        'wild._domainkey.example.edu  %:wild:/etc/opendkim/keys/wild.private',
        'nodomain                     %:x:/k',
        'broken                       example.com',
        'lonely',
        'crlf                         example.info:crlf:/k\r',
      ].join('\n');
      const entries = parseKeyTable({ file: 'KeyTable', text });
      assert.deepStrictEqual(
        entries.map((e) => e.keyName),
        ['mail._domainkey.example.com', '2024._domainkey.example.org', 'inline', 'wild._domainkey.example.edu', 'nodomain', 'crlf'],
      );
      assert.deepStrictEqual(show(text, entries.map((e) => e.selector).filter((s): s is DkimSelector => !!s)), [
        'mail@example.com = "mail" (opendkim-keytable) [/etc/opendkim/keys/example.com/mail.private]',
        '2024@example.org = "2024" (opendkim-keytable) [/etc/opendkim/keys/example.org.key]',
        's1@example.net = "s1" (opendkim-keytable)',
        'wild@example.edu = "wild" (opendkim-keytable) [/etc/opendkim/keys/wild.private]',
        'crlf@example.info = "crlf" (opendkim-keytable) [/k]',
      ]);
      const inline = entries[2].selector!;
      assert.deepStrictEqual(inline.range, { start: { line: 3, character: 41 }, end: { line: 3, character: 43 } });
      assert.ok(!JSON.stringify(entries).includes('MIICdgIBADAN'), 'inline key data is never kept');
    });

    it('SigningTable: key names that follow selector._domainkey.domain', () => {
      const text = ['*@example.com     mail._domainkey.example.com', '*@example.org     orgkey', '# *@x.test y._domainkey.x.test', 'example.net  s2._domainkey.example.net  signer@example.net'].join('\n');
      const refs = parseSigningTable({ file: 'SigningTable', text });
      assert.deepStrictEqual(refs.map((r) => r.keyName), ['mail._domainkey.example.com', 'orgkey', 's2._domainkey.example.net']);
      assert.deepStrictEqual(show(text, refs.map((r) => r.selector).filter((s): s is DkimSelector => !!s)), [
        'mail@example.com = "mail" (opendkim-signingtable)',
        's2@example.net = "s2" (opendkim-signingtable)',
      ]);
    });

    it('opendkim.conf: Selector with each literal Domain, KeyFile as the key path', () => {
      const text = ['Syslog yes', 'Domain   example.com,example.org', 'KeyFile  /etc/opendkim/default.private', 'selector default  # the single key', 'Socket inet:8891@localhost'].join('\n');
      assert.deepStrictEqual(show(text, selectorsFromOpendkimConf({ file: 'opendkim.conf', text })), [
        'default@example.com = "default" (opendkim-conf) [/etc/opendkim/default.private]',
        'default@example.org = "default" (opendkim-conf) [/etc/opendkim/default.private]',
      ]);
      assert.deepStrictEqual(show('Domain csl:a.example, b.example\nSelector s', selectorsFromOpendkimConf({ file: 'opendkim.conf', text: 'Domain csl:a.example, b.example\nSelector s' })), [
        's@a.example = "s" (opendkim-conf)',
        's@b.example = "s" (opendkim-conf)',
      ]);
    });

    it('opendkim.conf: nothing when a KeyTable is set (OpenDKIM ignores Selector) or Domain is a file', () => {
      const conf = (text: string) => selectorsFromOpendkimConf({ file: 'opendkim.conf', text });
      assert.deepStrictEqual(conf('Domain example.com\nSelector s\nKeyTable refile:/etc/opendkim/KeyTable\n'), []);
      assert.deepStrictEqual(conf('Domain /etc/opendkim/domains\nSelector s\n'), []);
      assert.deepStrictEqual(conf('Domain refile:/etc/opendkim/domains\nSelector s\n'), []);
      assert.deepStrictEqual(conf('Selector s\n'), []);
      assert.deepStrictEqual(conf('Domain example.com\n'), []);
    });

    it('a SigningTable name a KeyTable defines is that KeyTable\'s selector, reported there once', () => {
      const keyTable = { file: '/etc/opendkim/KeyTable', text: 'mail._domainkey.example.com example.com:mail2024:/k/mail.private\n' };
      const signingTable = { file: '/etc/opendkim/SigningTable', text: '*@example.com mail._domainkey.example.com\n*@example.org s._domainkey.example.org\n' };
      const found = findDkimSelectors([signingTable, keyTable, { file: '/app/main.js', text: 'x' }]);
      assert.deepStrictEqual(
        found.map((s) => [s.file, s.selector, s.domain]),
        [
          ['/etc/opendkim/KeyTable', 'mail2024', 'example.com'],
          ['/etc/opendkim/SigningTable', 's', 'example.org'],
        ],
      );
    });
  });

  describe('rspamd dkim_signing.conf', () => {
    const text = [
      '# local.d/dkim_signing.conf',
      'enabled = true;',
      'selector = "dkim";',
      'path = "/var/lib/rspamd/dkim/$domain.$selector.key";',
      'allow_username_mismatch = true;',
      '',
      'domain {',
      '  example.com {',
      '    path = "/var/lib/rspamd/dkim/example.com.key";',
      '    selector = "2019";',
      '  }',
      '  "example.org" {',
      '    selectors [',
      '      { path = "/keys/org-a.key"; selector = "a"; },',
      "      { path: '/keys/org-b.key', selector: 'b' }",
      '    ]',
      '  }',
      '  example.net { }   /* uses the global selector */',
      '  "$bad domain" { selector = "x"; }',
      '}',
    ].join('\n');

    it('each domain\'s selectors (own, a selectors list, or the global one), ranges inside the quotes', () => {
      assert.deepStrictEqual(show(text, selectorsFromRspamd({ file: 'dkim_signing.conf', text })), [
        '2019@example.com = "2019" (rspamd) [/var/lib/rspamd/dkim/example.com.key]',
        'a@example.org = "a" (rspamd) [/keys/org-a.key]',
        'b@example.org = "b" (rspamd) [/keys/org-b.key]',
        'dkim@example.net = "dkim" (rspamd) [/var/lib/rspamd/dkim/example.net.dkim.key]',
      ]);
    });

    it('bare values, semicolons left out, a dkim_signing { } section, macros, comments and heredocs', () => {
      const t = [
        '.include(try=true,priority=1) "$LOCAL_CONFDIR/local.d/x.conf"',
        'dkim_signing {',
        '  # selector = "commented";',
        '  selector = s2024',
        '  note = <<EOD',
        'selector = "in a heredoc";',
        'EOD',
        '  domain {',
        '    example.com { selector: mail }',
        '    example.org { }',
        '  }',
        '}',
      ].join('\n');
      assert.deepStrictEqual(show(t, selectorsFromRspamd({ file: 'dkim_signing.conf', text: t })), ['mail@example.com = "mail" (rspamd)', 's2024@example.org = "s2024" (rspamd)']);
    });

    it('parseUcl: nested objects, arrays, `section "name" { }`, unterminated input', () => {
      assert.deepStrictEqual(JSON.parse(JSON.stringify(parseUcl('a = 1; b { c = "x" } d [1, {e = 2}] f "g" { h = i }'))).map((e: { key: string }) => e.key), ['a', 'b', 'd', 'f']);
      const sectioned = parseUcl('f "g" { h = i }')[0];
      assert.strictEqual(sectioned.value.kind, 'object');
      assert.deepStrictEqual(sectioned.value.kind === 'object' && sectioned.value.entries.map((e) => e.key), ['g']);
      for (const broken of ['domain { example.com { selector = "x', 'domain {{{{', '}}}] ; = :', '"unterminated\nselector = a', '<<EOD\nno end', '/* open comment']) {
        parseUcl(broken);
        selectorsFromRspamd({ file: 'dkim_signing.conf', text: broken });
      }
      assert.deepStrictEqual(show('domain { example.com { selector = "x', selectorsFromRspamd({ file: 'dkim_signing.conf', text: 'domain { example.com { selector = "x' })), ['x@example.com = "x" (rspamd)']);
    });

    it('deep nesting is read past, not recursed into without end', () => {
      const deep = 'a {'.repeat(5000) + '}'.repeat(5000) + '\ndomain { example.com { selector = "deep" } }';
      assert.deepStrictEqual(selectorsFromRspamd({ file: 'dkim_signing.conf', text: deep }).map((s) => s.selector), ['deep']);
    });
  });

  describe('nodemailer', () => {
    it('dkim: { domainName, keySelector, privateKey } in createTransport, range inside the quotes', () => {
      const text = [
        "const nodemailer = require('nodemailer');",
        'const t = nodemailer.createTransport({',
        "  host: 'smtp.example.com',",
        '  dkim: {',
        "    domainName: 'example.com',",
        "    keySelector: '2017',",
        '    privateKey: process.env.DKIM_PRIVATE_KEY,',
        '  },',
        '});',
      ].join('\n');
      const transports = extractScriptTransports({ file: 'mail.js', text }, noEnv);
      assert.deepStrictEqual(show(text, transportSelectors(transports)), ['2017@example.com = "2017" (nodemailer)']);
    });

    it('dkim.keys: every key, the single-key options ignored (as nodemailer does), constants and .env values followed', () => {
      const env = new EnvResolver([parseEnvFile({ file: '.env', text: 'DKIM_SELECTOR=envsel\n' })]);
      const text = [
        "import nodemailer from 'nodemailer';",
        "const second = { domainName: 'example.org', keySelector: process.env.DKIM_SELECTOR, privateKey: key2 };",
        "const keys = [{ domainName: 'example.com', keySelector: `k2024`, privateKey: key1 }, second, notAnObject];",
        'export const t = nodemailer.createTransport({',
        "  host: 'smtp.example.com',",
        "  dkim: { domainName: 'ignored.example', keySelector: 'ignored', keys },",
        '});',
      ].join('\n');
      const transports = extractScriptTransports({ file: 'mail.ts', text }, env);
      assert.deepStrictEqual(show(text, transportSelectors(transports)), [
        'envsel@example.org = "process.env.DKIM_SELECTOR" (nodemailer)',
        'k2024@example.com = "k2024" (nodemailer)',
      ]);
    });

    it('keys built at run time: nothing, and not the single-key options either', () => {
      const text = "import nodemailer from 'nodemailer';\nnodemailer.createTransport({ host: 'h.example.com', dkim: { domainName: 'example.com', keySelector: 's', keys: loadKeys() } });\n";
      assert.deepStrictEqual(transportSelectors(extractScriptTransports({ file: 'mail.js', text }, noEnv)), []);
    });

    it('unknown or placeholder values are skipped', () => {
      const text = "import nodemailer from 'nodemailer';\nnodemailer.createTransport({ host: 'h.example.com', dkim: { domainName: process.env.UNSET_DOMAIN, keySelector: 's' } });\nnodemailer.createTransport({ host: 'h.example.com', dkim: { domainName: 'example.com', keySelector: '$sel' } });\n";
      assert.deepStrictEqual(transportSelectors(extractScriptTransports({ file: 'mail.js', text }, noEnv)), []);
    });

    it('YAML and JSON mail settings: dkim and dkim.keys', () => {
      const yaml = ['mail:', '  host: smtp.example.com', '  port: 587', '  dkim:', '    domainName: example.com', '    keySelector: "y2024"', '    privateKey: /run/secrets/dkim', ''].join('\n');
      assert.deepStrictEqual(show(yaml, transportSelectors(extractConfigTransports({ file: 'config/mail.yaml', text: yaml }, noEnv))), ['y2024@example.com = "y2024" (nodemailer)']);
      const json = JSON.stringify({ smtp: { host: 'smtp.example.com', port: 465, dkim: { keys: [{ domainName: 'a.example', keySelector: 'ka' }, { domainName: 'b.example', keySelector: 'kb' }] } } }, null, 2);
      assert.deepStrictEqual(show(json, transportSelectors(extractConfigTransports({ file: 'config/mail.json', text: json }, noEnv))), [
        'ka@a.example = "ka" (nodemailer)',
        'kb@b.example = "kb" (nodemailer)',
      ]);
      const numeric = yaml.replace('"y2024"', '2024');
      assert.deepStrictEqual(show(numeric, transportSelectors(extractConfigTransports({ file: 'config/mail.yaml', text: numeric }, noEnv))), ['2024@example.com = "2024" (nodemailer)']);
      const t = extractConfigTransports({ file: 'config/mail.yaml', text: yaml }, noEnv)[0];
      assert.ok(!t.options.has('dkim.privateKey'), 'the private key is not kept');
    });
  });

  describe('targets and the check entry point', () => {
    it('dkimTargets: one per selector._domainkey.domain (case and trailing dot ignored), every location kept', () => {
      const r = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 4 } });
      const targets = dkimTargets([
        { selector: 'Mail', domain: 'Example.com.', file: 'a', range: r(1), source: 'opendkim-keytable' },
        { selector: 'mail', domain: 'example.com', file: 'b', range: r(2), source: 'nodemailer' },
        { selector: 'mail', domain: 'example.com', file: 'b', range: r(2), source: 'nodemailer' },
        { selector: 'a', domain: 'example.com', file: 'c', range: r(3), source: 'rspamd' },
      ]);
      const asLiveTargets: DkimKeyTarget[] = targets; // what liveChecks takes
      assert.strictEqual(asLiveTargets.length, 2);
      assert.deepStrictEqual(
        targets.map((t) => [t.name, t.selector, t.domain, t.locations.map((l) => `${l.file}:${l.range.start.line}`)]),
        [
          ['a._domainkey.example.com', 'a', 'example.com', ['c:3']],
          ['mail._domainkey.example.com', 'mail', 'example.com', ['a:1', 'b:2']],
        ],
      );
    });

    it('checkFiles returns the selectors of signing files and transports', () => {
      const result = checkFiles([
        { file: '/etc/opendkim/KeyTable', text: 'k example.com:mail:/etc/opendkim/mail.private\n' },
        { file: '/etc/rspamd/local.d/dkim_signing.conf', text: 'domain { example.org { selector = "r1"; } }\n' },
        { file: '/app/mail.js', text: "require('nodemailer').createTransport({ host: 'smtp.example.com', dkim: { domainName: 'example.net', keySelector: 'n1', privateKey: 'k' } });\n" },
        { file: '/app/notes.txt', text: 'domain { example.org { selector = "ignored"; } }' },
      ]);
      assert.deepStrictEqual(result.dkimSelectors.map((s) => `${s.selector}@${s.domain} ${s.source}`).sort(), ['mail@example.com opendkim-keytable', 'n1@example.net nodemailer', 'r1@example.org rspamd']);
      // The signing files are no source of findings; the transport's literal key is (a hard-coded secret).
      assert.deepStrictEqual(result.findings.map((f) => `${f.file} ${f.ruleId}`), ['/app/mail.js nodemailer/hardcoded-credentials']);
    });

    it('the CLI walker collects signing files from a folder', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dkim-walk-'));
      try {
        fs.mkdirSync(path.join(dir, 'opendkim'));
        fs.writeFileSync(path.join(dir, 'opendkim', 'KeyTable'), 'k example.com:mail:/k\n');
        fs.mkdirSync(path.join(dir, 'local.d'));
        fs.writeFileSync(path.join(dir, 'local.d', 'dkim_signing.conf'), 'domain { example.org { selector = "r1"; } }\n');
        fs.writeFileSync(path.join(dir, 'opendkim', 'mail.private'), '-----BEGIN PRIVATE KEY-----\n');
        const walked = collectConfigFiles([dir]);
        assert.deepStrictEqual(walked.files.map((f) => path.relative(dir, f.file)).sort(), [path.join('local.d', 'dkim_signing.conf'), path.join('opendkim', 'KeyTable')]);
        assert.deepStrictEqual(checkFiles(walked.files).dkimSelectors.map((s) => s.selector).sort(), ['mail', 'r1']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
