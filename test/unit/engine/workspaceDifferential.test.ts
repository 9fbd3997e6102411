// The incremental Workspace (the editor's and the CLI's engine) against checkFiles (every source run once over
// every file), on every folder of the repository's fixtures and examples: the same findings, endpoints and
// live-target inputs, in the same order. The Workspace caches per source and per part; this holds the caching
// to the plain check.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { MAX_APP_FILE_BYTES, checkFiles } from '../../../src/core/check';
import { applyFindingPolicy } from '../../../src/core/engine/findingPolicy';
import { Workspace } from '../../../src/core/engine/workspace';
import { readTextFile, scanWorkspace } from '../../../src/core/fileWalk';
import type { LintInput } from '../../../src/core/workspaceLint';
import { FIXTURES, REPO_ROOT } from '../helpers';

/** A model as data: parsers keep closures (spanOfValue, addOption) that differ by identity only. */
const plain = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_key, v: unknown) => (v instanceof Map || v instanceof Set ? [...v] : typeof v === 'function' ? undefined : v)));

/** A folder and every folder under it. */
function foldersUnder(dir: string): string[] {
  const out = [dir];
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) if (d.isDirectory()) out.push(...foldersUnder(path.join(dir, d.name)));
  return out;
}

/** Every file the workspace scan of `dir` finds, read whole. */
function filesOf(dir: string): LintInput[] {
  const scan = scanWorkspace([dir]);
  const candidates = scan.candidates.map((c) => ({ file: c.file, text: readTextFile(c.file, MAX_APP_FILE_BYTES) }));
  return [...scan.eager, ...candidates.filter((c): c is LintInput => c.text !== undefined)];
}

describe('engine Workspace against checkFiles', () => {
  const folders = [...foldersUnder(FIXTURES), ...foldersUnder(path.join(REPO_ROOT, 'examples'))];

  it('finds folders with configurations in them', () => {
    assert.ok(folders.length > 100, `${folders.length} folders`);
  });

  it('on every folder of the fixtures and examples: the same findings, endpoints and live-target inputs, in order', () => {
    let compared = 0;
    for (const dir of folders) {
      const files = filesOf(dir);
      if (files.length === 0) continue;
      const texts = new Map(files.map((f) => [f.file, f.text]));
      const expected = checkFiles(files);
      const workspace = new Workspace();
      // Modules a script imports come from the same files checkFiles reads them from (the Workspace keeps only files that may hold settings).
      workspace.setSettings({ moduleLoader: (id) => (texts.has(id) ? { file: id, text: texts.get(id) as string } : undefined) });
      for (const f of files) workspace.setFile(f.file, f.text, { byteLength: f.byteLength, configDirFiles: f.configDirFiles });
      const actual = workspace.result();
      const where = path.relative(REPO_ROOT, dir) || '.';
      // checkFiles applies no suppression comments; the Workspace does.
      assert.deepStrictEqual(actual.findings, applyFindingPolicy(expected.findings, { textOf: (file) => texts.get(file) }), `findings of ${where}`);
      assert.deepStrictEqual(actual.endpoints, expected.endpoints, `endpoints of ${where}`);
      assert.deepStrictEqual(plain(actual.postfixInstances), plain(expected.postfixInstances), `Postfix instances of ${where}`);
      assert.deepStrictEqual(plain(actual.transports), plain(expected.transports), `transports of ${where}`);
      assert.deepStrictEqual(actual.dkimSelectors, expected.dkimSelectors, `DKIM selectors of ${where}`);
      compared++;
    }
    assert.ok(compared > 100, `${compared} folders compared`);
  });
});
