// A configuration language added as one value: a tiny test-only source ("relay lists", one `relay HOST:PORT`
// per line) given to the engine beside the registry's. Its findings, endpoints and rule metadata reach the
// Workspace (held files and streamed), checkFiles and the rule catalogue with no other change, and its
// results follow edits, the settings and the sources before it.
import * as assert from 'assert';
import { checkFiles } from '../../../src/core/check';
import { Workspace } from '../../../src/core/engine/workspace';
import type { Endpoint, Finding, RuleMeta } from '../../../src/core/model';
import { formatJson } from '../../../src/core/report/json';
import { buildReport } from '../../../src/core/report/report';
import type { ResultNode } from '../../../src/core/report/resultNode';
import { buildResultsTree } from '../../../src/core/report/resultsTree';
import { allRuleMetas } from '../../../src/core/rules';
import { SOURCES } from '../../../src/core/sources/registry';
import type { ConfigSource } from '../../../src/core/sources/source';
import { readFixture } from '../helpers';

const PORT_25_RULE: RuleMeta = { id: 'relay-list/port-25', description: 'A relay reached on port 25, where submission belongs on 587.', defaultSeverity: 'warning', fixable: false };
const isRelayList = (path: string) => path.endsWith('.relays');

/** What a relay list says: an endpoint per `relay HOST:PORT` line, a finding per relay on port 25. */
function readRelayList(file: string, text: string, postfixInstances: number): { findings: Finding[]; endpoints: Endpoint[] } {
  const findings: Finding[] = [];
  const endpoints: Endpoint[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /^relay (\S+):(\d+)$/.exec(line);
    if (!m) return;
    const range = { start: { line: i, character: 6 }, end: { line: i, character: line.length } };
    endpoints.push({ host: m[1], port: Number(m[2]), security: 'starttls-opportunistic', authPresent: false, source: 'relay-list', sourceLabel: 'relay list', file, range, optionRanges: {} });
    // The message says how many Postfix configurations came before: the source sees the models of earlier sources.
    if (m[2] === '25') findings.push({ ruleId: PORT_25_RULE.id, severity: PORT_25_RULE.defaultSeverity, file, range, message: `Relay ${m[1]} on port 25 (${postfixInstances} Postfix configurations beside it).` });
  });
  return { findings, endpoints };
}

/** The whole source: no incremental hook, so the Workspace runs it again over its files after a change. */
const RELAY_LIST_SOURCE: ConfigSource = {
  id: 'relay-list',
  discovery: 'workspace',
  globs: ['**/*.relays'],
  rules: [PORT_25_RULE],
  editor: { languages: [], documentLanguages: ['plaintext'], activationEvents: [] },
  claims: ({ file }) => isRelayList(file),
  recognise: (_path, text) => text.includes('relay '),
  scanReading: (path) => (isRelayList(path) ? { upFront: false, maxBytes: 4096 } : undefined),
  maxFileBytes: 4096,
  open(files) {
    const held = [...files];
    return {
      add: (file) => held.push(file),
      finish(earlier) {
        const read = held.map((f) => readRelayList(f.file, f.text, earlier.postfixInstances.length));
        return { findings: read.flatMap((r) => r.findings), endpoints: read.flatMap((r) => r.endpoints), checkedFiles: held.length };
      },
    };
  },
};

const WITH_RELAY_LISTS = [...SOURCES, RELAY_LIST_SOURCE];
const LIST = 'relay smtp.example.org:25\nrelay mail.example.net:587\n';
const MAIN = readFixture('postfix/rules/duplicate-parameter/main.cf');

const ofRelayLists = (findings: readonly Finding[]) => findings.filter((f) => f.ruleId === PORT_25_RULE.id).map((f) => `${f.file}:${f.range.start.line} ${f.severity} ${f.message}`);

describe('a configuration source added to the registry', () => {
  it('its rules join the rule catalogue', () => {
    assert.ok(allRuleMetas(WITH_RELAY_LISTS).includes(PORT_25_RULE));
    assert.ok(!allRuleMetas().includes(PORT_25_RULE), 'the registry alone does not know it');
    assert.deepStrictEqual(
      allRuleMetas(WITH_RELAY_LISTS).filter((r) => r !== PORT_25_RULE),
      allRuleMetas(),
    );
  });

  it('its findings and endpoints come out of the Workspace after those of the sources before it, and follow edits', () => {
    const w = new Workspace({ sources: WITH_RELAY_LISTS });
    w.setFile('/p/etc/main.cf', MAIN);
    w.setFile('/p/deploy/prod.relays', LIST);
    w.setFile('/p/deploy/notes.relays', 'nothing here\n');
    let r = w.result();
    assert.deepStrictEqual(ofRelayLists(r.findings), ['/p/deploy/prod.relays:0 warning Relay smtp.example.org on port 25 (1 Postfix configurations beside it).']);
    assert.ok(r.findings.findIndex((f) => f.ruleId === PORT_25_RULE.id) > r.findings.findIndex((f) => f.ruleId === 'postfix/duplicate-parameter'), 'registry order');
    assert.deepStrictEqual(
      r.endpoints.filter((e) => e.file.endsWith('.relays')).map((e) => `${e.host}:${e.port}`),
      ['smtp.example.org:25', 'mail.example.net:587'],
    );
    assert.strictEqual(r.checkedFiles, 2, 'main.cf and the one relay list it recognises');
    assert.strictEqual(w.sourceOfFile('/p/deploy/prod.relays'), RELAY_LIST_SOURCE);
    assert.ok(!w.has('/p/deploy/notes.relays'));

    w.setFile('/p/deploy/prod.relays', 'relay smtp.example.org:587\n');
    assert.deepStrictEqual(ofRelayLists(w.result().findings), []);
    w.setFile('/p/deploy/prod.relays', LIST);
    w.setFile('/p/etc2/main.cf', MAIN);
    assert.deepStrictEqual(ofRelayLists(w.result().findings), ['/p/deploy/prod.relays:0 warning Relay smtp.example.org on port 25 (2 Postfix configurations beside it).'], 'run again when an earlier source changed');
    w.deleteFile('/p/deploy/prod.relays');
    r = w.result();
    assert.deepStrictEqual(ofRelayLists(r.findings), []);
    assert.ok(!r.endpoints.some((e) => e.file.endsWith('.relays')));
  });

  it('its findings go through the settings and suppression comments like any other', () => {
    const w = new Workspace({ sources: WITH_RELAY_LISTS });
    w.setFile('/p/prod.relays', LIST);
    w.setSettings({ severityOverrides: { [PORT_25_RULE.id]: 'error' } });
    assert.deepStrictEqual(ofRelayLists(w.result().findings), ['/p/prod.relays:0 error Relay smtp.example.org on port 25 (0 Postfix configurations beside it).']);
    w.setFile('/p/prod.relays', `# smtp-doctor-disable-file ${PORT_25_RULE.id}\n${LIST}`);
    assert.deepStrictEqual(ofRelayLists(w.result().findings), []);
  });

  it('the CLI way (streamed from disk) and checkFiles give what the Workspace gives', () => {
    const files = [
      { file: '/p/etc/main.cf', text: MAIN },
      { file: '/p/deploy/prod.relays', text: LIST },
    ];
    const held = new Workspace({ sources: WITH_RELAY_LISTS });
    for (const f of files) held.setFile(f.file, f.text);
    const expected = held.result();
    const reads: string[] = [];
    const streamed = new Workspace({ sources: WITH_RELAY_LISTS }).checkStreamed([files[0]], [{ file: '/p/deploy/prod.relays', size: LIST.length }], (file, sniff) => {
      reads.push(file);
      return sniff(LIST) ? LIST : undefined;
    });
    assert.deepStrictEqual(reads, ['/p/deploy/prod.relays']);
    assert.deepStrictEqual(streamed.findings, expected.findings);
    assert.deepStrictEqual(streamed.endpoints, expected.endpoints);
    assert.strictEqual(streamed.checkedFiles, expected.checkedFiles);
    const checked = checkFiles(files, {}, WITH_RELAY_LISTS);
    assert.deepStrictEqual(checked.findings, expected.findings);
    assert.deepStrictEqual(checked.endpoints, expected.endpoints);
  });

  it('its endpoints show their own kind in the Results tree and the reports, beside the built-in sources\' kinds', () => {
    const w = new Workspace({ sources: WITH_RELAY_LISTS });
    w.setFile('/p/etc/main.cf', 'relayhost = [smtp.example.com]:587\n');
    w.setFile('/p/src/mail.js', "const nodemailer = require('nodemailer');\nnodemailer.createTransport({ host: 'mail.example.org', port: 465, secure: true });\n");
    w.setFile('/p/deploy/prod.relays', LIST);
    const { findings, endpoints } = w.result();
    const tree = buildResultsTree({ files: new Map(), endpoints, displayPath: (f) => f.slice('/p/'.length) });
    const all = (nodes: readonly ResultNode[]): ResultNode[] => nodes.flatMap((n) => [n, ...all(n.children)]);
    const definedBy = all(tree.roots)
      .filter((n) => n.kind === 'endpoint')
      .map((n) => `${n.label} ${/Defined by: (.*)/.exec(n.tooltip ?? '')?.[1]}`)
      .sort();
    assert.deepStrictEqual(definedBy, [
      'mail.example.net:587 relay list, line 2',
      'mail.example.org:465 nodemailer transport, line 2',
      'smtp.example.com:587 Postfix relayhost, line 1',
      'smtp.example.org:25 relay list, line 1',
    ]);
    const reported = JSON.parse(formatJson(buildReport({ findings, endpoints }))) as { endpoints: { host: string; source: string }[] };
    assert.deepStrictEqual(
      reported.endpoints.map((e) => `${e.host} ${e.source}`),
      ['smtp.example.com postfix-relayhost', 'mail.example.org nodemailer', 'smtp.example.org relay-list', 'mail.example.net relay-list'],
    );
  });
});
