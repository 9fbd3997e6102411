// The application-transport corpus: small realistic projects under test/fixtures/nodemailer/corpus, each
// with an expected.json listing every endpoint and finding lintAppFiles must report, no more, no less.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { lintAppFiles } from '../../../../src/core/appLint';
import type { SourceFile } from '../../../../src/core/model';
import { FIXTURES, coveredText } from '../../helpers';

const CORPUS = path.join(FIXTURES, 'nodemailer/corpus');

interface ExpectedEndpoint {
  file: string;
  line: number;
  host: string | null;
  port: number | null;
  security: string;
  authPresent: boolean;
  source: string;
}

interface ExpectedFinding {
  rule: string;
  file: string;
  line: number;
  column: number;
  text: string;
}

interface Expected {
  endpoints: ExpectedEndpoint[];
  findings: ExpectedFinding[];
}

/** Every file of a case, paths relative to the case folder with "/" separators (expected.json left out). */
function caseFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...caseFiles(dir, r));
    else if (r !== 'expected.json') out.push(r);
  }
  return out;
}

/** Order-insensitive comparison: both sides sorted by their canonical JSON. */
function sorted<T>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
}

function readExpected(name: string): Expected {
  const e = JSON.parse(fs.readFileSync(path.join(CORPUS, name, 'expected.json'), 'utf8')) as Partial<Expected>;
  return {
    endpoints: (e.endpoints ?? []).map((x) => ({ ...x, host: x.host ?? null, port: x.port ?? null })),
    findings: e.findings ?? [],
  };
}

/** Lints one case the way the extension does: every file at once, ids `<case>/<relative path>`. */
function lintCase(name: string): Expected {
  const rels = caseFiles(path.join(CORPUS, name));
  const texts = new Map<string, string>();
  const files: SourceFile[] = rels.map((rel) => {
    const text = fs.readFileSync(path.join(CORPUS, name, rel), 'utf8');
    texts.set(rel, text);
    return { file: `${name}/${rel}`, text };
  });
  const relOf = (id: string) => {
    assert.ok(id.startsWith(`${name}/`), `file id ${id} is not one of the case's files`);
    return id.slice(name.length + 1);
  };
  const result = lintAppFiles(files);
  return {
    endpoints: result.endpoints.map((e) => ({
      file: relOf(e.file),
      line: e.range.start.line + 1,
      host: e.host ?? null,
      port: e.port ?? null,
      security: e.security,
      authPresent: e.authPresent,
      source: e.source,
    })),
    findings: result.findings.map((f) => {
      const rel = relOf(f.file);
      return { rule: f.ruleId, file: rel, line: f.range.start.line + 1, column: f.range.start.character + 1, text: coveredText(texts.get(rel) ?? '', f) };
    }),
  };
}

const cases = fs.existsSync(CORPUS)
  ? fs.readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
  : [];

describe('nodemailer corpus', () => {
  it('has at least 45 cases, at least 10 of them clean', () => {
    assert.ok(cases.length >= 45, `only ${cases.length} cases`);
    const clean = cases.filter((c) => readExpected(c).findings.length === 0);
    assert.ok(clean.length >= 10, `only ${clean.length} clean cases`);
    for (const c of cases) assert.ok(/^\d{2}-[a-z0-9-]+$/.test(c), `case folder ${c} is not named NN-short-name`);
  });

  for (const name of cases) {
    it(name, () => {
      const expected = readExpected(name);
      const actual = lintCase(name);
      assert.deepStrictEqual(sorted(actual.endpoints), sorted(expected.endpoints), 'endpoints');
      assert.deepStrictEqual(sorted(actual.findings), sorted(expected.findings), 'findings');
    });
  }
});
