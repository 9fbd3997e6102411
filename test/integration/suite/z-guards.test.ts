// Guards over everything the suite left in the Problems panel (issue 15): after a whole-workspace check with
// hosts that fail in every way, no message of ours is longer than 160 characters, no two diagnostics of ours
// share a range, and no live finding spans more than one line.
import * as assert from 'assert';
import * as net from 'net';
import * as vscode from 'vscode';
import { SOURCE, closedLoopbackPort, extensionReady, keepLiveChecksOnLoopback, portOf, ruleIdOf, startLoopbackSmtp, workspaceUri } from '../helpers';

const MAX_MESSAGE = 160;

describe('guards over every diagnostic', () => {
  let smtp: net.Server;
  const many = () => workspaceUri('watched', 'guard-mailer.js');

  before(async () => {
    await extensionReady();
    smtp = await startLoopbackSmtp('220 guard.test ESMTP');
    const refused = await closedLoopbackPort();
    const text = [
      "const nodemailer = require('nodemailer');",
      `const a = nodemailer.createTransport({ host: '127.0.0.1', port: ${portOf(smtp)}, secure: true });`,
      `const b = nodemailer.createTransport({ host: '127.0.0.1', port: ${refused}, requireTLS: true, auth: { user: 'u', pass: process.env.PASS } });`,
      `const c = nodemailer.createTransport({ host: 'mail.guard.example', port: 587, from: 'x@guard.example' });`,
      `const d = nodemailer.createTransport({\n  host: '127.0.0.1',\n  port: ${portOf(smtp)},\n  tls: { rejectUnauthorized: false },\n});`,
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(many(), new TextEncoder().encode(text));
    await vscode.workspace.openTextDocument(many());
    await keepLiveChecksOnLoopback(1500);
    await vscode.commands.executeCommand('smtpDoctor.checkWorkspace');
  });

  after(async () => {
    smtp?.close();
    await vscode.workspace.fs.delete(many(), { useTrash: false }).then(undefined, () => undefined);
  });

  const all = () => vscode.languages.getDiagnostics().flatMap(([uri, ds]) => ds.filter((d) => d.source === SOURCE).map((d) => ({ uri, d, rule: ruleIdOf(d) ?? '' })));

  it('the workspace gives the guards something to guard: static and live findings of every family', () => {
    const rules = new Set(all().map((x) => x.rule.split('/')[0]));
    for (const family of ['postfix', 'nodemailer', 'smtp', 'dns']) assert.ok(rules.has(family), `${family} in ${[...rules].join(', ')}`);
  });

  it(`no diagnostic message is longer than ${MAX_MESSAGE} characters`, () => {
    const long = all().filter(({ d }) => d.message.length > MAX_MESSAGE);
    assert.deepStrictEqual(long.map(({ uri, d, rule }) => `${vscode.workspace.asRelativePath(uri)} ${rule} (${d.message.length}): ${d.message}`), []);
  });

  it('no two diagnostics of ours share a range', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const { uri, d, rule } of all()) {
      const key = `${uri.toString()} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
      const other = seen.get(key);
      if (other) clashes.push(`${vscode.workspace.asRelativePath(uri)}:${d.range.start.line + 1} ${other} and ${rule}`);
      seen.set(key, rule);
    }
    assert.deepStrictEqual(clashes, []);
  });

  it('no live finding spans more than one line', () => {
    const tall = all().filter(({ d, rule }) => /^(smtp|dns)\//.test(rule) && d.range.start.line !== d.range.end.line);
    assert.deepStrictEqual(tall.map(({ uri, d, rule }) => `${vscode.workspace.asRelativePath(uri)} ${rule} lines ${d.range.start.line + 1}-${d.range.end.line + 1}`), []);
  });
});
