import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli';
import { REPO_ROOT } from './helpers';

/** Runs the CLI in-process. `check` always runs --offline here: unit tests never touch the network. */
async function run(args: string[], cwd = REPO_ROOT) {
  let out = '';
  let err = '';
  const offline = args[0] === 'check' ? [...args, '--offline'] : args;
  const code = await main(offline, { out: (s) => (out += s), err: (s) => (err += s), cwd });
  return { code, out, err };
}

function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

let outText = '';
let errText = '';

describe('CLI', () => {
  it('exits 1 on the example workspace and prints compiler-style lines with relative paths', async () => {
    const r = await run(['check', 'examples/workspace']);
    assert.strictEqual(r.code, 1);
    assert.match(r.out, /^examples\/workspace\/postfix\/main\.cf:10:27: error: .*\[postfix\/open-relay\]$/m);
    assert.match(r.out, /files? checked: \d+ errors?/);
  });

  it('exits 0 on a clean config', async () => {
    const r = await run(['check', 'examples/workspace/postfix-clean']);
    assert.strictEqual(r.code, 0, r.out);
    assert.match(r.out, /2 files checked: 0 errors, 0 warnings, 0 other/);
  });

  it('prints the documented JSON shape with 1-based positions', async () => {
    const dir = tempDir({ 'etc/postfix/main.cf': 'compatibility_level = 3.6\nmyhostname = mail.example.com\nsmtpd_tls_securty_level = may\n' });
    const r = await run(['check', '--format', 'json', '.'], dir);
    const json = JSON.parse(r.out);
    const f = json.findings.find((x: { rule: string }) => x.rule === 'postfix/unknown-parameter');
    assert.deepStrictEqual(
      { ...f, message: undefined },
      { rule: 'postfix/unknown-parameter', severity: 'warning', file: path.join('etc', 'postfix', 'main.cf'), line: 3, column: 1, endLine: 3, endColumn: 24, message: undefined },
    );
    assert.strictEqual(r.code, 0);
  });

  it('prints one short line per finding, and with --verbose the explanation and the other places involved', async () => {
    const dir = tempDir({ 'project/.smtpdoctor.yaml': 'rules:\n  smtp/port-refused: off\n  postfix/nonsense-rule: warning\n' });
    const plain = await run(['check', 'project'], dir);
    const line = plain.out.split('\n').find((l) => l.includes('[config/project-file]'))!;
    assert.match(line, /^project\/\.smtpdoctor\.yaml:3:3: warning: Unknown rule "postfix\/nonsense-rule"\./);
    const verbose = await run(['check', '--verbose', 'project'], dir);
    assert.ok(verbose.out.includes(line), 'the same line');
    const yaml = tempDir({ '.smtpdoctor.yaml': 'rules: [\n' });
    const broken = await run(['check', '-v', '.'], yaml);
    const [head, ...rest] = broken.out.split('\n');
    assert.match(head, /^\.smtpdoctor\.yaml:\d+:\d+: warning: \.smtpdoctor\.yaml does not parse \(.*\); fix the YAML\. \[config\/project-file\]$/);
    const detail = rest.filter((l) => l.startsWith('    '));
    assert.ok(detail.length > 0 && detail.every((l) => l.length <= 104), 'the explanation, indented and wrapped');
    assert.match(detail.map((l) => l.trim()).join(' '), /SMTP Doctor ignores the file until it parses\.$/);
  });

  it('prints SARIF 2.1.0 with rules, levels and %SRCROOT%-relative locations', async () => {
    const r = await run(['check', '--format=sarif', 'examples/workspace']);
    const sarif = JSON.parse(r.out);
    assert.strictEqual(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    assert.strictEqual(run0.tool.driver.name, 'SMTP Doctor');
    const ids = run0.tool.driver.rules.map((x: { id: string }) => x.id);
    assert.ok(ids.includes('postfix/open-relay'));
    const relay = run0.results.find((x: { ruleId: string }) => x.ruleId === 'postfix/open-relay');
    assert.strictEqual(relay.level, 'error');
    assert.strictEqual(ids[relay.ruleIndex], 'postfix/open-relay');
    assert.deepStrictEqual(relay.locations[0].physicalLocation.artifactLocation, { uri: 'examples/workspace/postfix/main.cf', uriBaseId: '%SRCROOT%' });
    assert.strictEqual(relay.locations[0].physicalLocation.region.startLine, 10);
    for (const res of run0.results) assert.ok(res.message.text.length > 0);
  });

  it('prints one command\'s usage for COMMAND --help, COMMAND -h and help COMMAND, and exits 0', async () => {
    for (const command of ['check', 'port', 'show', 'rules']) {
      for (const args of [[command, '--help'], [command, '-h'], ['help', command], [command, 'some/path', '--help']]) {
        const r = await main(args, { out: (s) => (outText += s), err: (s) => (errText += s), cwd: REPO_ROOT });
        assert.strictEqual(r, 0, args.join(' '));
        assert.match(outText, new RegExp(`^Usage:\\n  smtp-doctor ${command}\\b`), args.join(' '));
        for (const other of ['check', 'port', 'show', 'rules'].filter((c) => c !== command)) assert.doesNotMatch(outText, new RegExp(`smtp-doctor ${other}\\b`), args.join(' '));
        assert.strictEqual(errText, '');
        outText = '';
      }
    }
    const all = await run(['--help']);
    assert.strictEqual(all.code, 0);
    for (const command of ['check', 'port', 'show', 'rules', 'help']) assert.match(all.out, new RegExp(`smtp-doctor ${command}\\b`));
    const unknown = await run(['help', 'frobnicate']);
    assert.strictEqual(unknown.code, 2);
    assert.match(unknown.err, /unknown command "frobnicate"/);
  });

  it('says bad usage with the usage of the command that was used', async () => {
    const r = await run(['port', '--frob']);
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /^smtp-doctor: unknown option "--frob"\n\nUsage:\n  smtp-doctor port /);
    assert.doesNotMatch(r.err, /smtp-doctor check/);
  });

  it('exits 2 on bad usage', async () => {
    assert.strictEqual((await run(['check', '--format', 'xml'])).code, 2);
    assert.strictEqual((await run(['frobnicate'])).code, 2);
    assert.strictEqual((await run([])).code, 2);
    const missing = await run(['check', 'no/such/dir']);
    assert.strictEqual(missing.code, 2);
    assert.match(missing.err, /no such file or folder: no\/such\/dir/);
  });

  it('show prints main.cf as postconf -n does: sorted, continuation lines joined, unused names left out', async () => {
    const dir = tempDir({ 'main.cf': 'myhostname = b.example.com\nmydestination = a,\n   b\nalias_maps =\nmy_list = x\nunused_thing = 1\nmynetworks = $my_list\n' });
    const r = await run(['show', 'main.cf'], dir);
    assert.strictEqual(r.out, 'alias_maps =\nmy_list = x\nmydestination = a, b\nmyhostname = b.example.com\nmynetworks = $my_list\n');
  });

  it('show agrees byte for byte with postconf -n on the example workspace', async function () {
    const postconf = ['/usr/sbin/postconf', '/usr/bin/postconf'].find((p) => fs.existsSync(p));
    if (!postconf) this.skip();
    const dir = path.join(REPO_ROOT, 'examples/workspace/postfix');
    const theirs = spawnSync(postconf!, ['-c', dir, '-n'], { encoding: 'utf8' }).stdout.replace(/^config_directory = .*\n/m, '');
    assert.strictEqual((await run(['show', 'examples/workspace/postfix/main.cf'])).out, theirs);
  });

  it('show masks only credentials: table data stays as written', async () => {
    const dir = tempDir({
      'main.cf':
        'always_bcc = archive@example.com\nsender_canonical_maps = static:archive@example.com\n' +
        'transport_maps = inline:{ {user@example.com = smtp:[mx.example.net]} }\nrelayhost = [relay:s3cret@smtp.example.net]:587\n' +
        'smtp_sasl_password_maps = static:relay:s3cret\n',
    });
    const r = await run(['show', 'main.cf'], dir);
    assert.strictEqual(
      r.out,
      'always_bcc = archive@example.com\nrelayhost = [relay:••••••@smtp.example.net]:587\nsender_canonical_maps = static:archive@example.com\n' +
        'smtp_sasl_password_maps = static:••••••\ntransport_maps = inline:{ {user@example.com = smtp:[mx.example.net]} }\n',
    );
  });

  it('show exits 1 and prints nothing where Postfix refuses the file, as postconf -n does', async () => {
    const dir = tempDir({ 'main.cf': 'myhostname = mail.example.com\nrelayhost [smtp.example.net]:587\n', 'bad/master.cf': 'smtp inet n - y - smtpd\n' });
    const main = await run(['show', 'main.cf'], dir);
    assert.strictEqual(main.code, 1);
    assert.strictEqual(main.out, '');
    assert.match(main.err, /line 2: Missing "=" after "relayhost": Postfix refuses to read main\.cf/);
    const master = await run(['show', 'bad/master.cf'], dir);
    assert.strictEqual(master.code, 1);
    assert.match(master.err, /service "smtp" has 7 fields, not 8/);
  });

  it('show --postfix-version leaves out names that release does not know, as its postconf does', async () => {
    const dir = tempDir({ 'main.cf': 'myhostname = mail.example.com\nsmtpd_client_ipv6_prefix_length = 64\n' });
    assert.match((await run(['show', 'main.cf'], dir)).out, /smtpd_client_ipv6_prefix_length = 64/);
    assert.strictEqual((await run(['show', 'main.cf', '--postfix-version', '3.7'], dir)).out, 'myhostname = mail.example.com\n');
  });

  it('check --postfix-version judges the files for that release; a bad one is a usage error', async () => {
    const dir = tempDir({ 'main.cf': 'compatibility_level = 3.6\nsmtpd_client_ipv6_prefix_length = 64\n' });
    const newer = JSON.parse((await run(['check', '--offline', '--format', 'json', '--postfix-version', '3.7', '.'], dir)).out);
    assert.ok(newer.findings.some((f: { rule: string; message: string }) => f.rule === 'postfix/unknown-parameter' && /not in Postfix 3\.7/.test(f.message)));
    const current = JSON.parse((await run(['check', '--offline', '--format', 'json', '--postfix-version=3.10', '.'], dir)).out);
    assert.ok(!current.findings.some((f: { rule: string }) => f.rule === 'postfix/unknown-parameter'));
    const bad = await run(['check', '--offline', '--postfix-version', '2.11', '.'], dir);
    assert.strictEqual(bad.code, 2);
    assert.match(bad.err, /--postfix-version: SMTP Doctor knows Postfix 3\.4 to/);
    // The project file's postfix.version applies when the option is not given.
    fs.writeFileSync(path.join(dir, '.smtpdoctor.yaml'), 'postfix:\n  version: "3.7"\n');
    const project = JSON.parse((await run(['check', '--offline', '--format', 'json', '.'], dir)).out);
    assert.ok(project.findings.some((f: { message: string }) => /not in Postfix 3\.7 \(added in 3\.8\): that release ignores it \(postfix\.version in \.smtpdoctor\.yaml\)/.test(f.message)));
  });

  it('never skips a file named on the command line in silence', async () => {
    const dir = tempDir({ 'notes.txt': 'hello\n', 'mymain.conf': 'myhostname = mail.example.com\nmydestination = localhost\nbiff = no\n', 'main.cf.j2': 'myhostname = {{ fqdn }}\n' });
    const out = JSON.parse((await run(['check', '--offline', '--format', 'json', 'notes.txt', 'mymain.conf', 'main.cf.j2'], dir)).out);
    const skipped = out.findings.filter((f: { rule: string }) => f.rule === 'config/skipped-file');
    assert.deepStrictEqual(skipped.map((f: { file: string; message: string }) => [f.file, f.message]), [
      ['notes.txt', 'Not checked: neither its name nor its content says it is a Postfix main.cf or master.cf.'],
    ]);
    // mymain.conf reads as a main.cf by its content; main.cf.j2 is a template of one.
    const text = await run(['check', '--offline', 'mymain.conf', 'main.cf.j2'], dir);
    assert.match(text.out, /2 files checked/);
  });

  it('reports a binary file named main.cf instead of parsing it', async () => {
    const dir = tempDir({ 'main.cf': 'myhostname\u0000\u0001\u0002 = x\n' });
    const json = JSON.parse((await run(['check', '--format', 'json', '.'], dir)).out);
    assert.deepStrictEqual(json.findings.map((f: { rule: string }) => f.rule), ['config/skipped-file']);
    assert.match(json.findings[0].message, /binary/);
  });

  it('runs as the bundled dist/cli.js with the same exit code', async function () {
    const cli = path.join(REPO_ROOT, 'dist/cli.js');
    if (!fs.existsSync(cli)) this.skip();
    const r = spawnSync(process.execPath, [cli, 'check', 'examples/workspace/postfix-clean', '--format', 'json', '--offline'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.deepStrictEqual(JSON.parse(r.stdout), {
      findings: [],
      endpoints: [
        { host: 'smtp.example.net', port: 587, security: 'starttls-required', file: 'examples/workspace/postfix-clean/main.cf', line: 10, source: 'postfix-relayhost', authPresent: true, env: [] },
      ],
    });
  });
});

describe('the bundled CLI', () => {
  const cli = path.join(REPO_ROOT, 'dist/cli.js');
  before(function () {
    if (!fs.existsSync(cli)) this.skip();
  });

  it('starts with the dispatcher alone: no command bundle is loaded for --version or --help', () => {
    // Records every require() of the run (Module._load) and every file read (command bundles are read and
    // compiled with their code cache, not required), printed on exit.
    const recordLoads = `data:text/javascript,import M from 'node:module';import fs from 'node:fs';const seen=[];const load=M._load;M._load=function(r,...a){seen.push(r);return load.call(this,r,...a)};const read=fs.readFileSync;fs.readFileSync=function(f,...a){if(typeof f==='string')seen.push(f);return read.call(this,f,...a)};process.on('exit',()=>process.stderr.write('\\nLOADED '+JSON.stringify(seen)))`;
    const loads = (args: string[]) => {
      const r = spawnSync(process.execPath, ['--import', recordLoads, cli, ...args], { encoding: 'utf8' });
      assert.strictEqual(r.status, 0, r.stderr);
      return (JSON.parse(/LOADED (.*)$/.exec(r.stderr)![1]) as string[]).filter((m) => /(^|\/)cli\//.test(m));
    };
    assert.deepStrictEqual(loads(['--version']), []);
    assert.deepStrictEqual(loads(['port', '--help']), []);
    assert.deepStrictEqual(loads(['help', 'check']), []);
    assert.deepStrictEqual(loads(['rules']), [path.join(path.dirname(cli), 'cli', 'rules.v8-cache'), path.join(path.dirname(cli), 'cli', 'rules.js')], 'the check is able to see a command being loaded');
    assert.ok(fs.statSync(cli).size < 16 * 1024, `dist/cli.js is ${fs.statSync(cli).size} bytes`);
  });

  it("prints the same rule catalogue as the registries, from the catalogue the build wrote into rules' bundle", async () => {
    const bundled = spawnSync(process.execPath, [cli, 'rules'], { encoding: 'utf8' });
    assert.strictEqual(bundled.status, 0, bundled.stderr);
    let inProcess = '';
    assert.strictEqual(await main(['rules'], { out: (s) => (inProcess += s), err: () => undefined, cwd: REPO_ROOT }), 0);
    assert.ok(inProcess.split('\n').length > 60);
    assert.strictEqual(bundled.stdout, inProcess);
    assert.ok(fs.statSync(path.join(path.dirname(cli), 'cli', 'rules.js')).size < 100 * 1024, 'rules bundle holds the catalogue, not the sources');
  });

  it("leaves the domain checks out of port's bundle (port checks no domain), not out of check's", () => {
    // A piece of the SPF evaluator's code (its message for a domain with several SPF records).
    const spfEvaluator = ' SPF records`';
    assert.ok(fs.readFileSync(path.join(path.dirname(cli), 'cli', 'check.js'), 'utf8').includes(spfEvaluator));
    assert.ok(!fs.readFileSync(path.join(path.dirname(cli), 'cli', 'port.js'), 'utf8').includes(spfEvaluator));
  });

  it('ends quietly with the pipe when its reader stops early (rules | head -1)', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" rules | head -1`], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0);
    assert.strictEqual(r.stdout.split('\n').filter(Boolean).length, 1);
    assert.strictEqual(r.stderr, '');
  });
});

describe('SARIF output', () => {
  it('validates against the official SARIF 2.1.0 JSON schema', async () => {
    // The schema ships in @microsoft/jest-sarif; it is draft-04, hence ajv-draft-04.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = require('ajv-draft-04');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const addFormats = require('ajv-formats');
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv); // so helpUri, informationUri and artifact URIs are checked too
    const validate = ajv.compile(schema);
    let out = '';
    await main(['check', '--format', 'sarif', 'examples/workspace', '--offline'], { out: (s) => (out += s), err: () => undefined, cwd: REPO_ROOT });
    const log = JSON.parse(out);
    assert.ok(log.runs[0].results.length > 5);
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  });
});

describe('secrets in output', () => {
  it('no format prints the password written in the example app', async () => {
    for (const format of ['text', 'json', 'sarif']) {
      let out = '';
      await main(['check', '--format', format, 'examples/workspace', '--offline'], { out: (s) => (out += s), err: (s) => (out += s), cwd: REPO_ROOT });
      assert.ok(out.includes('hardcoded-credentials'), `${format} output reports the hard-coded password`);
      assert.ok(!out.includes('correct-horse-battery-staple'), `${format} output shows the password`);
    }
  });
});

describe('endpoints in JSON', () => {
  it('say which .env file and line each environment value came from, and null when none sets it', async () => {
    let out = '';
    await main(['check', '--format', 'json', 'examples/workspace/app', '--offline'], { out: (s) => (out += s), err: () => undefined, cwd: REPO_ROOT });
    const { endpoints } = JSON.parse(out);
    const transactional = endpoints.find((e: { line: number; file: string }) => e.file.endsWith('mailer.ts') && e.line === 7);
    assert.deepStrictEqual(transactional.env, [
      { option: 'host', variable: 'SMTP_HOST', file: 'examples/workspace/app/.env', line: 2 },
      { option: 'port', variable: 'SMTP_PORT', file: 'examples/workspace/app/.env', line: 3 },
      { option: 'secure', variable: 'SMTP_SECURE', file: 'examples/workspace/app/.env', line: 4 },
      { option: 'auth.user', variable: 'SMTP_USER', file: 'examples/workspace/app/.env', line: 5 },
      { option: 'auth.pass', variable: 'SMTP_PASS', file: null, line: null },
    ]);
    assert.strictEqual(transactional.host, 'smtp.example.com');
    assert.strictEqual(transactional.security, 'implicit-tls');
  });
});
