// Our reading of main.cf/master.cf must be Postfix's: every fixture is also read by the real
// `postconf` (Debian package postfix) and the two readings are compared value by value.
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parsePostfixInstance } from '../../../../src/core/sources/postfix/instance';
import { collapseWhiteSpace, showMasterCf } from '../../../../src/core/sources/postfix/show';
import { lintTexts, FIXTURES } from '../../helpers';
import { unknownParameter } from '../../../../src/core/sources/postfix/rules/unknownParameter';

const POSTCONF = ['/usr/sbin/postconf', '/usr/bin/postconf'].find((p) => fs.existsSync(p));
const AGREEMENT = path.join(FIXTURES, 'postfix/agreement');

function runPostconf(dir: string, flag: string): { stdout: string; stderr: string } {
  const r = spawnSync(POSTCONF!, ['-c', dir, flag], { encoding: 'utf8' });
  assert.strictEqual(r.status, 0, `postconf ${flag} failed: ${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

/** `name = value` lines → map (postconf prints no continuation lines without -f). */
function parsePostconfN(out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of out.split('\n')) {
    const hit = /^(\S+) =(?: (.*))?$/.exec(line);
    if (hit) m.set(hit[1], hit[2] ?? '');
  }
  m.delete('config_directory'); // postconf -c adds it
  return m;
}

describe('parser agrees with postconf', function () {
  before(function () {
    if (!POSTCONF) {
      if (process.env.SMTP_DOCTOR_ALLOW_NO_POSTFIX === '1') this.skip();
      assert.fail('postconf not found: install the Debian package "postfix" (.ci/run does)');
    }
    execFileSync(POSTCONF, ['-d', '-h', 'mail_version']); // -d: reads no main.cf (a fresh install has none)
  });

  const cases = fs.readdirSync(AGREEMENT).filter((d) => fs.existsSync(path.join(AGREEMENT, d, 'main.cf')));
  it('has fixtures', () => assert.ok(cases.length >= 8, `only ${cases.length} fixtures`));

  for (const name of cases) {
    describe(name, () => {
      let dir: string;
      let mainText: string;
      let masterText: string | undefined;
      let postconfN: { stdout: string; stderr: string };
      before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-postconf-'));
        for (const f of fs.readdirSync(path.join(AGREEMENT, name))) fs.copyFileSync(path.join(AGREEMENT, name, f), path.join(dir, f));
        mainText = fs.readFileSync(path.join(dir, 'main.cf'), 'utf8');
        masterText = fs.existsSync(path.join(dir, 'master.cf')) ? fs.readFileSync(path.join(dir, 'master.cf'), 'utf8') : undefined;
        postconfN = runPostconf(dir, '-n');
      });
      after(() => fs.rmSync(dir, { recursive: true, force: true }));

      it('postconf -n prints exactly the names we read as used, with our values', () => {
        const theirs = parsePostconfN(postconfN.stdout);
        const instance = parsePostfixInstance({ main: { file: 'main.cf', text: mainText }, master: masterText === undefined ? undefined : { file: 'master.cf', text: masterText } });
        const ours = new Map<string, string>();
        for (const [n, p] of instance.main!.effective) if (instance.isUsedParameter(n)) ours.set(n, collapseWhiteSpace(p.value));
        assert.deepStrictEqual(Object.fromEntries([...ours].sort()), Object.fromEntries([...theirs].sort()));
      });

      it('the names postconf calls "unused parameter" are exactly those we flag as unknown, with the same values', () => {
        const { stderr } = postconfN;
        const theirs = new Set([...stderr.matchAll(/unused parameter: ([^=\s]+)=(.*)$/gm)].map((m) => `${m[1]}=${m[2]}`));
        const instance = parsePostfixInstance({ main: { file: 'main.cf', text: mainText }, master: masterText === undefined ? undefined : { file: 'master.cf', text: masterText } });
        const flagged = lintTexts({ main: mainText, master: masterText }, unknownParameter).map((f) => {
          const n = /"([^"]+)"/.exec(f.message)![1];
          return `${n}=${collapseWhiteSpace(instance.main!.effective.get(n)!.value)}`;
        });
        assert.deepStrictEqual([...new Set(flagged)].sort(), [...theirs].sort());
      });

      it('the orphan continuation lines postconf warns about are the ones we report', () => {
        const { stderr } = postconfN;
        const theirs = new Set([...stderr.matchAll(/logical line must not start with whitespace: "(.*)"$/gm)].map((m) => m[1].replace(/\.\.\.$/, '')));
        const instance = parsePostfixInstance({ main: { file: 'main.cf', text: mainText } });
        const ours = instance.main!.problems
          .filter((p) => p.kind === 'orphan-continuation')
          .map((p) => mainText.slice(p.span.start, p.span.end).replace(/\n/g, '').slice(0, 30));
        assert.deepStrictEqual(ours.sort(), [...theirs].sort());
      });

      if (fs.existsSync(path.join(AGREEMENT, name, 'master.cf'))) {
        it('master.cf services read as postconf -M prints them', () => {
          const theirs = runPostconf(dir, '-M').stdout;
          const instance = parsePostfixInstance({ master: { file: 'master.cf', text: masterText! } });
          assert.strictEqual(showMasterCf(instance.master!), theirs);
        });
      }
    });
  }
});
