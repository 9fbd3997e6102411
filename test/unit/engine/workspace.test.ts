import * as assert from 'assert';
import { checkFiles } from '../../../src/core/check';
import { Workspace } from '../../../src/core/engine/workspace';
import type { Finding } from '../../../src/core/model';
import { parseProjectConfig } from '../../../src/core/projectConfig';
import { allRuleMetas } from '../../../src/core/rules';
import * as path from 'path';
import { MAX_APP_FILE_BYTES } from '../../../src/core/check';
import { diskModuleLoader, readCandidate, readTextFile, scanWorkspace } from '../../../src/core/fileWalk';
import { FIXTURES, readFixture } from '../helpers';

const OPEN_RELAY_MAIN = readFixture('postfix/rules/open-relay/main.cf');
const OPEN_RELAY_MASTER = readFixture('postfix/rules/open-relay/master.cf');
const DUPLICATE_MAIN = readFixture('postfix/rules/duplicate-parameter/main.cf');
const MAILER = readFixture('nodemailer/rules/secure-port-mismatch/mailer.ts');

const brief = (findings: readonly Finding[]) => findings.map((f) => `${f.file}:${f.range.start.line} ${f.ruleId} ${f.severity}`).sort();

function sample(): Workspace {
  const w = new Workspace();
  w.setFile('/p/a/main.cf', OPEN_RELAY_MAIN);
  w.setFile('/p/a/master.cf', OPEN_RELAY_MASTER);
  w.setFile('/p/b/main.cf', DUPLICATE_MAIN);
  w.setFile('/p/src/mailer.ts', MAILER);
  return w;
}

describe('engine Workspace', () => {
  it('gives what checkFiles gives for the same files: findings, endpoints, live-target inputs, files checked', () => {
    const files = [
      { file: '/p/a/main.cf', text: OPEN_RELAY_MAIN },
      { file: '/p/a/master.cf', text: OPEN_RELAY_MASTER },
      { file: '/p/b/main.cf', text: DUPLICATE_MAIN },
      { file: '/p/src/mailer.ts', text: MAILER },
    ];
    const expected = checkFiles(files);
    const r = sample().result();
    assert.deepStrictEqual(brief(r.findings), brief(expected.findings));
    assert.ok(r.findings.some((f) => f.ruleId === 'postfix/open-relay' && f.file === '/p/a/master.cf'), 'main.cf and master.cf of a folder are linted together');
    assert.ok(r.findings.some((f) => f.ruleId === 'nodemailer/secure-port-mismatch'));
    assert.deepStrictEqual(r.endpoints, expected.endpoints);
    assert.strictEqual(r.postfixInstances.length, 2);
    assert.deepStrictEqual(
      r.transports.map((t) => t.file),
      ['/p/src/mailer.ts'],
    );
    assert.strictEqual(r.checkedFiles, 4);
  });

  it('follows setFile and deleteFile', () => {
    const w = sample();
    w.deleteFile('/p/a/master.cf');
    assert.ok(!w.result().findings.some((f) => f.file === '/p/a/master.cf'));
    assert.strictEqual(w.result().checkedFiles, 3);
    w.setFile('/p/b/main.cf', 'compatibility_level = 3.6\nmyhostname = mail.example.com\nsmtpd_tls_security_level = may\n');
    assert.ok(!w.result().findings.some((f) => f.ruleId === 'postfix/duplicate-parameter'));
    w.deleteFile('/p/src/mailer.ts');
    const r = w.result();
    assert.deepStrictEqual(r.transports, []);
    assert.ok(!r.findings.some((f) => f.file === '/p/src/mailer.ts'));
    assert.ok(!r.endpoints.some((e) => e.file === '/p/src/mailer.ts'));
    w.setFile('/p/src/mailer.ts', MAILER.replace('secure: true', 'secure: false'));
    assert.ok(!w.result().findings.some((f) => f.ruleId === 'nodemailer/secure-port-mismatch'));
    assert.strictEqual(w.result().transports.length, 1);
  });

  it('drops a file that is no configuration, and one that stops being one', () => {
    const w = new Workspace();
    w.setFile('/p/README.md', '# smtp\n');
    w.setFile('/p/src/util.ts', 'export const x = 1;\n');
    assert.strictEqual(w.result().checkedFiles, 0);
    w.setFile('/p/src/mailer.ts', MAILER);
    assert.ok(w.has('/p/src/mailer.ts'));
    w.setFile('/p/src/mailer.ts', 'export const nothing = 0;\n');
    assert.ok(!w.has('/p/src/mailer.ts'));
    assert.deepStrictEqual(w.result().transports, []);
  });

  it('re-lints only the Postfix folder that changed', () => {
    const w = sample();
    const before = w.result().postfixInstances;
    w.setFile('/p/b/main.cf', DUPLICATE_MAIN + 'mydomain = example.org\n');
    const after = w.result().postfixInstances;
    const inFolder = (list: typeof before, folder: string) => list.find((i) => (i.main?.source.file ?? i.master?.source.file)?.startsWith(folder));
    assert.strictEqual(inFolder(after, '/p/a/'), inFolder(before, '/p/a/'), 'folder a kept its parsed instance');
    assert.notStrictEqual(inFolder(after, '/p/b/'), inFolder(before, '/p/b/'));
    assert.strictEqual(w.result(), w.result(), 'no change, same result');
  });

  it('applies the policy again only to the part that changed', () => {
    const w = sample();
    // An override makes new finding objects: the same objects afterwards mean the policy did not run again.
    w.setSettings({ severityOverrides: { 'postfix/open-relay': 'warning', 'nodemailer/secure-port-mismatch': 'warning' } });
    const inA = () => w.result().findings.filter((f) => f.file.startsWith('/p/a/'));
    const before = inA();
    assert.ok(before.length > 0 && before.some((f) => f.ruleId === 'postfix/open-relay' && f.severity === 'warning'));
    w.setFile('/p/b/main.cf', DUPLICATE_MAIN + 'mydomain = example.org\n');
    w.setFile('/p/src/mailer.ts', MAILER + '\n');
    const after = inA();
    assert.strictEqual(after.length, before.length);
    after.forEach((f, i) => assert.strictEqual(f, before[i]));
    w.setSettings({ severityOverrides: { 'postfix/open-relay': 'warning' } });
    assert.ok(inA().every((f, i) => f !== before[i] || f.ruleId !== 'postfix/open-relay'), 'settings apply the policy again');
  });

  it('applies suppression comments, the test-scope cap and severity overrides, once and in that order', () => {
    const w = sample();
    const duplicates = () => w.result().findings.filter((f) => f.ruleId === 'postfix/duplicate-parameter' && f.file === '/p/b/main.cf');
    assert.strictEqual(duplicates().length, 2);
    w.setFile('/p/b/main.cf', `# smtp-doctor-disable-file postfix/duplicate-parameter\n${DUPLICATE_MAIN}`);
    assert.strictEqual(duplicates().length, 0);

    w.setFile('/p/test/mailer.ts', MAILER);
    w.setSettings({ relativePath: (file) => file.slice('/p/'.length) });
    const mismatch = () => w.result().findings.filter((f) => f.ruleId === 'nodemailer/secure-port-mismatch').map((f) => `${f.file} ${f.severity}`).sort();
    assert.deepStrictEqual(mismatch(), ['/p/src/mailer.ts error', '/p/test/mailer.ts warning']);
    // Overrides come after the cap: a rule set to error is an error in tests too.
    w.setSettings({ relativePath: (file) => file.slice('/p/'.length), severityOverrides: { 'nodemailer/secure-port-mismatch': 'error' } });
    assert.deepStrictEqual(mismatch(), ['/p/src/mailer.ts error', '/p/test/mailer.ts error']);
    w.setSettings({ severityOverrides: (file): Record<string, 'off'> => (file.includes('/test/') ? { 'nodemailer/secure-port-mismatch': 'off' } : {}) });
    assert.deepStrictEqual(mismatch(), ['/p/src/mailer.ts error']);
  });

  it('takes the project file: its findings, its severities under the settings, its Postfix release', () => {
    const w = sample();
    const text = 'rules:\n  postfix/open-relay: warning\n  postfix/tls-disabled: off\n  nosuch/rule: off\npostfix:\n  version: "3.8"\n';
    const project = parseProjectConfig({ file: '/p/.smtpdoctor.yaml', text }, allRuleMetas().map((r) => r.id));
    w.setProjectConfig(project, text);
    let r = w.result();
    assert.ok(r.findings.some((f) => f.file === '/p/.smtpdoctor.yaml' && f.ruleId === 'config/project-file'), 'the unknown rule id is a finding');
    assert.ok(!r.findings.some((f) => f.ruleId === 'postfix/tls-disabled'));
    assert.ok(r.findings.filter((f) => f.ruleId === 'postfix/open-relay').every((f) => f.severity === 'warning'));
    assert.strictEqual(r.postfixInstances[0].target.why, 'postfix.version in .smtpdoctor.yaml');
    w.setSettings({ severityOverrides: { 'postfix/open-relay': 'hint' }, postfixRelease: { version: '3.9', why: '--postfix-version 3.9' } });
    r = w.result();
    assert.ok(r.findings.filter((f) => f.ruleId === 'postfix/open-relay').every((f) => f.severity === 'hint'));
    assert.strictEqual(r.postfixInstances[0].target.why, '--postfix-version 3.9');
    w.setProjectConfig(undefined);
    assert.ok(w.result().findings.some((f) => f.ruleId === 'postfix/tls-disabled'));
  });

  it('streams: the same result from files read one at a time, none of them kept', () => {
    const held = sample();
    held.setFile('/p/src/mailer.ts', MAILER);
    const texts = new Map([['/p/src/mailer.ts', MAILER]]);
    const reads: string[] = [];
    const streaming = new Workspace();
    const r = streaming.checkStreamed(
      [
        { file: '/p/a/main.cf', text: OPEN_RELAY_MAIN },
        { file: '/p/a/master.cf', text: OPEN_RELAY_MASTER },
        { file: '/p/b/main.cf', text: DUPLICATE_MAIN },
      ],
      [{ file: '/p/src/mailer.ts', size: MAILER.length }],
      (file, sniff) => {
        reads.push(file);
        const text = texts.get(file);
        return text !== undefined && sniff(text) ? text : undefined;
      },
    );
    assert.deepStrictEqual(reads, ['/p/src/mailer.ts']);
    const expected = held.result();
    assert.deepStrictEqual(brief(r.findings), brief(expected.findings));
    assert.deepStrictEqual(r.endpoints, expected.endpoints);
    assert.strictEqual(r.checkedFiles, expected.checkedFiles);
    assert.ok(!streaming.has('/p/src/mailer.ts') && !streaming.has('/p/a/main.cf'));
  });

  it('reads suppression comments of files it does not hold through readText, for live findings too', () => {
    const w = new Workspace();
    const text = '# smtp-doctor-disable-file live/some-rule\nmyhostname = x\n';
    w.setSettings({ readText: (file) => (file === '/p/main.cf' ? text : undefined) });
    const live: Finding = { ruleId: 'live/some-rule', severity: 'error', file: '/p/main.cf', message: 'm', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } } };
    assert.deepStrictEqual(w.applyPolicy([live, { ...live, ruleId: 'live/other-rule' }]).map((f) => f.ruleId), ['live/other-rule']);
  });

  it('on every fixture of the repository: files held in memory (the editor) and streamed (the CLI) give the same result', () => {
    const scan = scanWorkspace([FIXTURES]);
    const settings = { relativePath: (file: string) => scan.relative.get(file), moduleLoader: diskModuleLoader, readText: (file: string) => readTextFile(file) };
    const streamed = new Workspace();
    streamed.setSettings(settings);
    const fromDisk = streamed.checkStreamed(scan.eager, scan.candidates, (file, sniff) => readCandidate(file, MAX_APP_FILE_BYTES, sniff));
    const held = new Workspace();
    held.setSettings(settings);
    for (const f of scan.eager) held.setFile(f.file, f.text, { byteLength: f.byteLength, configDirFiles: f.configDirFiles, explicit: f.explicit });
    for (const c of scan.candidates) {
      const text = readTextFile(c.file, MAX_APP_FILE_BYTES);
      if (text !== undefined) held.setFile(c.file, text);
    }
    const inMemory = held.result();
    const rel = (list: readonly Finding[]) => brief(list.map((f) => ({ ...f, file: path.relative(FIXTURES, f.file) })));
    assert.ok(fromDisk.findings.length > 100 && fromDisk.transports.length > 50, `${fromDisk.findings.length} findings, ${fromDisk.transports.length} transports`);
    assert.deepStrictEqual(rel(inMemory.findings), rel(fromDisk.findings));
    assert.deepStrictEqual(inMemory.endpoints.length, fromDisk.endpoints.length);
    assert.strictEqual(inMemory.checkedFiles, fromDisk.checkedFiles);
  });
});
