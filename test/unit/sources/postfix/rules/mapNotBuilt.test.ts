import * as assert from 'assert';
import fc from 'fast-check';
import { LineIndex } from '../../../../../src/core/text';
import type { Range } from '../../../../../src/core/model';
import type { ConfigDirFiles } from '../../../../../src/core/sources/postfix/instance';
import { lintPostfix } from '../../../../../src/core/sources/postfix/lintPostfix';
import { clientSaslNoplaintext } from '../../../../../src/core/sources/postfix/rules/clientSaslNoplaintext';
import { clientSaslWithoutMaps } from '../../../../../src/core/sources/postfix/rules/clientSaslWithoutMaps';
import { destinationOverlap } from '../../../../../src/core/sources/postfix/rules/destinationOverlap';
import { encryptOnPublicMx } from '../../../../../src/core/sources/postfix/rules/encryptOnPublicMx';
import { mapNotBuilt } from '../../../../../src/core/sources/postfix/rules/mapNotBuilt';
import { relayhost465Wrappermode } from '../../../../../src/core/sources/postfix/rules/relayhost465Wrappermode';
import { readFixture } from '../../../helpers';
import { testPostfixRule } from '../../../ruleTester';

/** A fake listing of main.cf's folder: base name → modification time in seconds. */
function dir(files: Record<string, number>): ConfigDirFiles {
  return new Map(Object.entries(files).map(([name, s]) => [name, { mtimeMs: s * 1000 }]));
}

const main = readFixture('postfix/rules/map-not-built/main.cf');
const master = readFixture('postfix/rules/map-not-built/master.cf');
const listing = dir({
  'main.cf': 100,
  'master.cf': 100,
  sasl_passwd: 2000, // no sasl_passwd.db
  transport: 1000,
  'transport.lmdb': 2000,
  virtual: 5000,
  'virtual.db': 1000, // built before the last edit
  virtual_text: 5000,
  access: 3000.9,
  'access.db': 3000.1, // same second: up to date, as Postfix sees it
  canonical: 1000, // no canonical.cdb
  client_access: 1000, // no client_access.db
});
const configDirectory = 'config_directory = /usr/local/etc/postfix\ntransport_maps = hash:/usr/local/etc/postfix/transport, hash:/etc/postfix/transport, hash:$config_directory/maps/transport\n';
const tableTypes = 'transport_maps = dbm:/etc/postfix/transport\nalias_maps = hash:/etc/postfix/aliases\ndefault_database_type = lmdb\nrelocated_maps = hash:/etc/postfix/relocated, lmdb:/etc/postfix/relocated\n';
/** Every finding of this rule is a warning without a fix: only postmap or postalias can build a database. */
const noFix = { severity: 'warning' as const, fixes: [] };

describe('postfix/map-not-built', () => {
  testPostfixRule(mapNotBuilt, {
    valid: [
      { name: 'no listing of the folder', code: { main, master } },
      {
        name: 'the databases are current',
        code: { main, master, configDirFiles: dir({ sasl_passwd: 1, 'sasl_passwd.db': 2, virtual: 1, 'virtual.db': 1, canonical: 1, 'canonical.cdb': 5, client_access: 1, 'client_access.db': 1 }) },
      },
      // Only the database (built elsewhere and copied in), or neither file: nothing to compare.
      { name: 'only the database in the folder', code: { main, configDirFiles: dir({ 'sasl_passwd.db': 1 }) } },
      { name: 'neither file in the folder', code: { main, configDirFiles: dir({}) } },
      // /etc/aliases is outside /etc/postfix; texthash: is read as text and needs no database.
      { name: 'a table outside the folder, and texthash:', code: { main: 'alias_maps = hash:/etc/aliases\nvirtual_alias_maps = texthash:/etc/postfix/virtual\n', configDirFiles: dir({ aliases: 1, virtual: 1 }) } },
      // dbm: Postfix compares the .pag file's time.
      { name: 'dbm: a .pag file newer than the text', code: { main: tableTypes, configDirFiles: dir({ transport: 5, 'transport.dir': 1, 'transport.pag': 9 }) } },
    ],
    invalid: [
      {
        name: 'missing and stale databases on the table as written, in main.cf and in -o overrides: what Postfix logs and which command builds the database',
        code: { main, master, configDirFiles: listing },
        findings: [
          { ...noFix, at: '2:27', file: 'main.cf', text: 'hash:/etc/postfix/sasl_passwd', message: 'sasl_passwd.db is missing, so lookups fail; run "postmap /etc/postfix/sasl_passwd".' },
          { ...noFix, at: '4:22', file: 'main.cf', text: 'hash:/etc/postfix/virtual', message: 'virtual.db is older than virtual, so lookups use old data; run "postmap /etc/postfix/virtual".' },
          { ...noFix, at: '7:25', file: 'main.cf', text: 'cdb:/etc/postfix/canonical', message: [/canonical\.cdb is missing/, /run "postmap cdb:\/etc\/postfix\/canonical"/] },
          { ...noFix, at: '2:52', file: 'master.cf', text: 'hash:/etc/postfix/client_access', details: /\(smtpd_client_restrictions\)/ },
        ],
      },
      {
        name: 'paths resolved against config_directory only, not subfolders or other folders',
        code: { main: configDirectory, configDirFiles: dir({ transport: 1 }) },
        findings: [{ text: 'hash:/usr/local/etc/postfix/transport' }],
      },
      {
        name: 'the database files of each table type and the tool that builds them',
        code: { main: tableTypes, configDirFiles: dir({ transport: 5, 'transport.dir': 9, aliases: 1, relocated: 1, 'relocated.lmdb': 2 }) },
        findings: [
          { text: 'dbm:/etc/postfix/transport', message: /transport\.pag is missing/ },
          { text: 'hash:/etc/postfix/aliases', message: /run "postalias hash:\/etc\/postfix\/aliases"/ },
          { text: 'hash:/etc/postfix/relocated', message: /run "postmap hash:\/etc\/postfix\/relocated"/ },
        ],
      },
      { name: 'dbm: a .pag file older than the text', code: { main: tableTypes, configDirFiles: dir({ transport: 5, 'transport.dir': 9, 'transport.pag': 4 }) }, findings: [{}] },
    ],
  });
});

describe('the rules of issue 7 on arbitrary input (property-based)', () => {
  // Statements built from what these rules look at (tables, relayhosts on 465, SASL and TLS settings,
  // domain lists), with arbitrary strings mixed in, so the rules really fire on broken shapes.
  const name = fc.constantFrom(
    'relayhost', 'smtp_tls_wrappermode', 'smtp_tls_security_level', 'smtp_sasl_auth_enable', 'smtp_sasl_password_maps',
    'smtp_sasl_security_options', 'smtp_sasl_tls_security_options', 'smtp_sasl_tls_verified_security_options',
    'smtpd_tls_security_level', 'smtpd_enforce_tls', 'mydestination', 'virtual_alias_domains', 'virtual_mailbox_domains',
    'relay_domains', 'config_directory', 'inet_interfaces', 'default_transport', 'myhostname', 'mydomain', 'alias_maps',
  );
  const value = fc.constantFrom(
    '[smtp.example.net]:465', 'smtp.example.net:smtps', '[a]:465, [b]:587', 'yes', 'no', 'may', 'encrypt', 'secure', '',
    'noplaintext, noanonymous', 'noplaintext', 'hash:/etc/postfix/x', 'lmdb:$config_directory/y', 'dbm:/etc/postfix/z',
    'proxy:btree:/etc/postfix/', '/etc/postfix/', '/etc/postfix', 'example.com', '$mydomain', '$myhostname, localhost, example.com',
    'localhost', 'loopback-only', '$', '${', '{ a, b }', 'smtp:', 'é', '\uD83D\uDCE7',
  );
  const valueList = fc.array(fc.oneof(value, fc.string({ maxLength: 5 })), { maxLength: 4 }).map((v) => v.join(', '));
  const statement = fc.tuple(name, fc.constantFrom(' = ', ' = ', '=', ' =\n  '), fc.oneof(value, value, valueList)).map(([n, eq, v]) => `${n}${eq}${v}`);
  const main = fc.array(fc.oneof(statement, statement, fc.string({ maxLength: 10 })), { maxLength: 14 }).map((l) => l.join('\n'));
  const service = fc
    .tuple(
      fc.constantFrom('smtp', 'relay', 'smtps_out', '127.0.0.1:smtp', '25', 'submission', 'smtpd'),
      fc.constantFrom('inet', 'unix', 'pass'),
      fc.constantFrom('smtp', 'smtpd', 'postscreen'),
      fc.array(fc.tuple(name, valueList).map(([n, v]) => `  -o ${n}=${v.replace(/\s+/g, '')}`), { maxLength: 3 }),
    )
    .map(([svc, type, cmd, opts]) => [`${svc} ${type} n - y - - ${cmd}`, ...opts].join('\n'));
  const master = fc.array(fc.oneof(service, service, fc.string({ maxLength: 10 })), { maxLength: 5 }).map((l) => l.join('\n'));
  const names = fc.array(fc.constantFrom('x', 'x.db', 'y', 'y.lmdb', 'z', 'z.dir', 'z.pag', ''), { maxLength: 8 });

  it('never fails, and every range and fix edit lies inside its file', () => {
    const rules = [relayhost465Wrappermode, clientSaslWithoutMaps, clientSaslNoplaintext, encryptOnPublicMx, destinationOverlap, mapNotBuilt];
    fc.assert(
      fc.property(main, master, names, fc.integer({ min: 0, max: 3 }), (mainText, masterText, files, t) => {
        const listing = new Map(files.map((n, k) => [n, { mtimeMs: (k + t) * 1000 }]));
        const findings = lintPostfix({ main: { file: 'main.cf', text: mainText }, master: { file: 'master.cf', text: masterText }, configDirFiles: listing }, rules);
        for (const f of findings) {
          assert.ok(!f.message.startsWith('Internal error'), f.message);
          const inside = (file: string, r: Range) => {
            const lines = new LineIndex(file === 'main.cf' ? mainText : masterText);
            for (const p of [r.start, r.end]) {
              assert.ok(p.line >= 0 && p.line < lines.lineCount, `${file} line ${p.line}`);
              assert.ok(p.character >= 0 && p.character <= lines.lineEnd(p.line) - lines.lineStart(p.line), `${file} ${p.line}:${p.character}`);
            }
          };
          inside(f.file, f.range);
          for (const x of f.fixes ?? []) for (const e of x.edits) inside(f.file, e.range);
          for (const x of f.related ?? []) inside(x.file, x.range);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
