// The configuration-source registry: which source a file belongs to, what the workspace scan reads, and
// package.json's editor fields, which are generated from it and must not drift.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { checkFiles } from '../../../src/core/check';
import { withSourceContributions } from '../../../src/core/sources/packageContributions';
import { ACTIVATION_EVENTS, CONFIG_GLOBS, FOLDER_LISTING_GLOBS, SOURCES, UNCLAIMED_EXPLICIT_FILE_SOURCE, isCheckedPath, readsFolderListing, scanReadingOf, sourceOf } from '../../../src/core/sources/registry';
import { MAX_APP_FILE_BYTES, MAX_LOCKFILE_BYTES } from '../../../src/core/limits';
import { REPO_ROOT } from '../helpers';

const idOf = (file: string) => sourceOf({ file })?.id;

describe('configuration sources', () => {
  it('lists postfix, application settings, DKIM signing and the project file, each id once (a new source may join anywhere)', () => {
    const ids = SOURCES.map((s) => s.id);
    assert.strictEqual(new Set(ids).size, ids.length, `unique ids: ${ids.join(', ')}`);
    // Findings and endpoints come out in registry order (the CLI's JSON with them): these keep theirs.
    assert.deepStrictEqual(
      ids.filter((id) => ['postfix', 'app', 'dkim-signing', 'project'].includes(id)),
      ['postfix', 'app', 'dkim-signing', 'project'],
    );
    // Postfix says why it skips a named file no source claims; only one source may.
    assert.strictEqual(UNCLAIMED_EXPLICIT_FILE_SOURCE?.id, 'postfix');
    assert.deepStrictEqual(SOURCES.filter((s) => s.takesUnclaimedExplicitFiles).map((s) => s.id), ['postfix']);
    assert.deepStrictEqual(SOURCES.filter((s) => s.discovery === 'project-root').map((s) => s.id), ['project']);
  });

  it('lists every source.ts under src/core/sources (a new language is its folder plus one registry line)', () => {
    const folders = path.join(REPO_ROOT, 'src', 'core', 'sources');
    const declared = fs
      .readdirSync(folders, { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(folders, d.name, 'source.ts')))
      .flatMap((d) => Object.values(require(path.join(__dirname, '..', '..', '..', 'src', 'core', 'sources', d.name, 'source')) as Record<string, unknown>));
    for (const source of declared) assert.ok(SOURCES.includes(source as never), `${(source as { id?: string }).id} is in SOURCES`);
    assert.ok(declared.length >= 3, 'postfix, app and dkimSigning declare their sources');
  });

  it('gives a file to the first source that claims it', () => {
    assert.strictEqual(idOf('/etc/postfix/main.cf'), 'postfix');
    assert.strictEqual(idOf('roles/mail/templates/master.cf.j2'), 'postfix');
    assert.strictEqual(idOf('app/.env.production'), 'app');
    assert.strictEqual(idOf('src/mailer.ts'), 'app');
    assert.strictEqual(idOf('config/mail.yaml'), 'app');
    assert.strictEqual(idOf('package.json'), 'app');
    assert.strictEqual(idOf('/etc/opendkim/KeyTable'), 'dkim-signing');
    assert.strictEqual(idOf('/etc/rspamd/local.d/dkim_signing.conf'), 'dkim-signing');
    // Any YAML file is read for settings first; the project file's own reader is its front end's.
    assert.strictEqual(idOf('.smtpdoctor.yaml'), 'app');
    assert.strictEqual(sourceOf({ file: 'untitled:1', kind: 'postfix-main' })?.id, 'postfix');
    for (const file of ['README.md', 'yarn.lock', 'package-lock.json', 'notes.cf']) assert.strictEqual(isCheckedPath(file), false, file);
  });

  it('tells the streamed scan what to read up front, what one at a time, and the size caps', () => {
    const reading = (file: string) => {
      const r = scanReadingOf(file);
      return r && { source: r.source.id, upFront: r.upFront, maxBytes: r.maxBytes };
    };
    assert.deepStrictEqual(reading('/etc/postfix/main.cf'), { source: 'postfix', upFront: true, maxBytes: undefined });
    assert.deepStrictEqual(reading('.env'), { source: 'app', upFront: true, maxBytes: undefined });
    assert.deepStrictEqual(reading('yarn.lock'), { source: 'app', upFront: true, maxBytes: MAX_LOCKFILE_BYTES });
    assert.deepStrictEqual(reading('src/mail.js'), { source: 'app', upFront: false, maxBytes: MAX_APP_FILE_BYTES });
    assert.deepStrictEqual(reading('KeyTable'), { source: 'dkim-signing', upFront: true, maxBytes: undefined });
    // Named like a main.cf but a YAML file: streamed to the application settings.
    assert.deepStrictEqual(reading('deploy/main.cf.yaml'), { source: 'app', upFront: false, maxBytes: MAX_APP_FILE_BYTES });
    assert.strictEqual(reading('.smtpdoctor.yml')?.source, 'app');
    assert.strictEqual(reading('README.md'), undefined);
  });

  it('says which files are checked against their folder\'s listing, and what the editor watches for it, from the sources\' declarations', () => {
    assert.strictEqual(readsFolderListing({ file: '/etc/postfix/main.cf' }), true);
    assert.strictEqual(readsFolderListing({ file: 'untitled:1', kind: 'postfix-main' }), true);
    for (const file of ['/etc/postfix/master.cf', 'src/mail.js', '.env', 'README.md']) assert.strictEqual(readsFolderListing({ file }), false, file);
    assert.deepStrictEqual(FOLDER_LISTING_GLOBS, SOURCES.flatMap((s) => (s.folderListing ? [s.folderListing.changedBy] : [])));
    assert.ok(FOLDER_LISTING_GLOBS.some((g) => g.includes('lmdb')), 'postmap\'s databases');
  });

  it('derives the scan globs from the workspace-scanned sources, in registry order', () => {
    assert.deepStrictEqual(
      CONFIG_GLOBS,
      SOURCES.filter((s) => s.discovery === 'workspace').flatMap((s) => s.globs),
    );
    assert.ok(!CONFIG_GLOBS.some((g) => g.includes('smtpdoctor')), 'the project file is found at the folder root, not by the scan');
  });

  it('the selectors of nodemailer\'s dkim option (app source) and of the signing tables (DKIM signing source) both reach the live targets', () => {
    const files = [
      { file: '/p/mail.js', text: "const nodemailer = require('nodemailer');\nnodemailer.createTransport({ host: 'smtp.example.com', port: 587, dkim: { domainName: 'example.com', keySelector: 'app' } });\n" },
      { file: '/p/KeyTable', text: 'mail._domainkey.example.org example.org:mail:/etc/opendkim/keys/mail.private\n' },
    ];
    assert.deepStrictEqual(
      checkFiles(files).dkimSelectors.map((s) => `${s.selector}@${s.domain} (${s.source})`).sort(),
      ['app@example.com (nodemailer)', 'mail@example.org (opendkim-keytable)'],
    );
  });

  it('package.json activationEvents, languages and smtpDoctor.include are what the registry says (run scripts/generate-package-contributions.js)', () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8');
    const manifest = JSON.parse(text);
    assert.strictEqual(JSON.stringify(withSourceContributions(manifest), null, 2) + '\n', text);
    assert.deepStrictEqual(manifest.activationEvents, [...ACTIVATION_EVENTS]);
  });

  it('the package.json generator changes only the derived fields', () => {
    const manifest = { name: 'x', activationEvents: ['onLanguage:stale'], contributes: { commands: [{ command: 'c' }], configuration: { properties: { 'smtpDoctor.include': { type: 'array', default: [] }, other: { type: 'string' } } } } };
    const out = withSourceContributions(manifest) as { name: string; activationEvents: string[]; contributes: { commands: unknown; languages: { id: string }[]; configuration: { properties: Record<string, { type: string; default?: unknown }> } } };
    assert.strictEqual(out.name, 'x');
    assert.deepStrictEqual(out.activationEvents, [...ACTIVATION_EVENTS]);
    assert.deepStrictEqual(out.contributes.commands, [{ command: 'c' }]);
    assert.deepStrictEqual(out.contributes.languages.map((l) => l.id), ['postfix-main', 'postfix-master']);
    assert.deepStrictEqual(out.contributes.configuration.properties['smtpDoctor.include'], { type: 'array', default: [...CONFIG_GLOBS] });
    assert.deepStrictEqual(out.contributes.configuration.properties.other, { type: 'string' });
  });
});
