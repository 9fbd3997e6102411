// A DNS server that does not answer (issue 15, item 2): one finding naming the server and the setting, every
// check that needs DNS skipped without a word, localhost and IP literals never asked of DNS, and DNS answers
// told apart in words.
import * as assert from 'assert';
import * as net from 'net';
import * as vscode from 'vscode';
import { T, rdata, startWireDns, type WireDnsPeer } from '../../net/peers/wireDns';
import {
  type SmtpDoctorApi,
  SOURCE,
  allResultNodes,
  closedLoopbackPort,
  extensionReady,
  open,
  portOf,
  resultsView,
  ruleIdOf,
  startLoopbackSmtp,
  waitFor,
  waitForRule,
  workspaceUri,
} from '../helpers';
import { screenshot } from '../uiBridge';

const settings = () => vscode.workspace.getConfiguration('smtpDoctor');
const ours = () => vscode.languages.getDiagnostics().flatMap(([uri, ds]) => ds.filter((d) => d.source === SOURCE).map((d) => ({ uri, d })));

describe('a DNS server that does not answer', function () {
  let api: SmtpDoctorApi;
  let smtp: net.Server;
  let dns: WireDnsPeer;
  const local = () => workspaceUri('watched', 'local-mailer.js');
  const words = () => workspaceUri('watched', 'dnswords', 'main.cf');

  before(async () => {
    api = await extensionReady();
    smtp = await startLoopbackSmtp('220 local.test ESMTP');
    dns = await startWireDns({
      records: [
        { name: 'nodata.test', type: T.MX, data: rdata.mx(10, 'noaddr.nodata.test') },
        { name: 'noaddr.nodata.test', type: T.TXT, data: Buffer.from([4, ...Buffer.from('none')]) },
      ],
      rcode: (name) => (name === 'fail.test' ? 2 : name === 'refuse.test' ? 5 : undefined),
      silent: (name) => name === 'slow.test',
    });
    await settings().update('live.outbound25ProbeHosts', ['127.0.0.1'], vscode.ConfigurationTarget.Workspace);
    await settings().update('live.timeoutMs', 1500, vscode.ConfigurationTarget.Workspace);
    await settings().update('live.dnsblZones', [], vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    smtp?.close();
    await dns?.close();
    await settings().update('live.dnsblZones', undefined, vscode.ConfigurationTarget.Workspace);
    for (const uri of [local(), workspaceUri('watched', 'dnswords')]) await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false }).then(undefined, () => undefined);
  });

  it('is one finding that names the server and the setting; the checks that need DNS are skipped without a word', async () => {
    const port = await closedLoopbackPort();
    await settings().update('dnsServers', [`127.0.0.1:${port}`], vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('smtpDoctor.clearResults');
    const result = await vscode.commands.executeCommand<{ live?: { probes: unknown[] } }>('smtpDoctor.checkWorkspace');
    assert.ok(result?.live, 'the live checks ran');
    // Once the run is over no progress is left in the view.
    api.results.rebuild();
    assert.strictEqual(resultsView(api.results)?.message, undefined);

    const dnsFindings = ours().filter(({ d }) => (ruleIdOf(d) ?? '').startsWith('dns/'));
    assert.deepStrictEqual(dnsFindings.map(({ d }) => ruleIdOf(d)), ['dns/resolver-unreachable'], 'one DNS finding in the whole workspace');
    const [{ d, uri }] = dnsFindings;
    assert.strictEqual(d.message, `DNS server 127.0.0.1:${port} refused the query: live DNS checks skipped; fix smtpDoctor.dnsServers.`);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
    const related = (d.relatedInformation ?? []).map((r) => `${r.location.uri.toString()}:${r.location.range.start.line}:${r.location.range.start.character}`);
    assert.ok(related.length > 0 && related.length <= 8, `some of the other lines that needed DNS are its related information: ${related.join(', ')}`);
    assert.strictEqual(new Set(related).size, related.length, 'each line once');
    assert.ok(!ours().some(({ d: x }) => /does not resolve|ECONNREFUSED/.test(x.message)), 'no host "does not resolve"');
    // The configuration with nothing to report still has nothing to report.
    assert.deepStrictEqual(vscode.languages.getDiagnostics(workspaceUri('clean', 'main.cf')).filter((x) => x.source === SOURCE), []);

    // The tree says it once, on top, and the targets that need DNS wait for a DNS server, quietly.
    api.results.rebuild();
    const roots = api.results.getChildren();
    const notice = roots.find((n) => n.kind === 'notice' && n.label === 'DNS server not answering');
    assert.ok(notice, roots.map((n) => n.label).join(', '));
    assert.strictEqual(notice.description, `127.0.0.1:${port} refused the query · DNS checks skipped`);
    const domain = allResultNodes(api.results).find((n) => n.kind === 'domain' && n.label === 'example.org');
    assert.ok(domain, 'the clean config names example.org');
    assert.deepStrictEqual([domain.state, domain.description], ['skipped', 'MX · not checked: the DNS server does not answer']);

    // The picture for the README: the Results view with the notice, and the one warning where it is.
    await vscode.commands.executeCommand('workbench.view.extension.smtpDoctor');
    await vscode.commands.executeCommand('workbench.actions.treeView.smtpDoctor.results.collapseAll').then(undefined, () => undefined);
    const doc = await open(uri);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Selection(d.range.start.translate(0, 2), d.range.start.translate(0, 2)), preview: false });
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('editor.action.showHover');
    await screenshot('dead-resolver.png', { waitForSquiggles: true, mouseAway: false });
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('never sends localhost or an IP literal to DNS: those servers are checked all the same', async () => {
    await settings().update('dnsServers', [dns.server], vscode.ConfigurationTarget.Workspace);
    const text = `const nodemailer = require('nodemailer');\nconst a = nodemailer.createTransport({ host: 'localhost', port: ${portOf(smtp)} });\nconst b = nodemailer.createTransport({ host: '[127.0.0.1]', port: ${portOf(smtp)} });\n`;
    await vscode.workspace.fs.writeFile(local(), new TextEncoder().encode(text));
    await vscode.workspace.openTextDocument(local());
    const before = dns.queries.length;
    await vscode.commands.executeCommand('smtpDoctor.recheck', local());
    await waitForRule(local(), 'smtp/starttls-missing', (d) => d.range.start.line === 1);
    assert.deepStrictEqual(dns.queries.slice(before).map((q) => q.name), [], 'no DNS query at all');
  });

  it('tells NXDOMAIN, NODATA, SERVFAIL, a timeout and REFUSED apart, in words', async () => {
    await settings().update('dnsServers', [dns.server], vscode.ConfigurationTarget.Workspace);
    const domains = ['nx.test', 'nodata.test', 'fail.test', 'refuse.test', 'slow.test'];
    const text = `compatibility_level = 3.6\nmydestination = ${domains.join(', ')}\n`;
    await vscode.workspace.fs.writeFile(words(), new TextEncoder().encode(text));
    const doc = await vscode.workspace.openTextDocument(words());
    await vscode.commands.executeCommand('smtpDoctor.recheck', words());
    const on = (domain: string) => {
      const at = doc.positionAt(text.indexOf(domain) + 1);
      return vscode.languages.getDiagnostics(words()).filter((d) => d.source === SOURCE && d.range.contains(at));
    };
    const expected: Record<string, RegExp> = {
      'nx.test': /^nx\.test does not exist in DNS \(NXDOMAIN\); fix the domain name or register it\.$/,
      'nodata.test': /^MX noaddr\.nodata\.test does not resolve: the name has no such record \(NODATA\); add its A\/AAAA record\.$/,
      'fail.test': /^The MX lookup of fail\.test failed: the DNS server failed to get an answer \(SERVFAIL\); check the DNS server\.$/,
      'refuse.test': /^The MX lookup of refuse\.test failed: the DNS server refused the query \(REFUSED\); check the DNS server\.$/,
      'slow.test': /^The MX lookup of slow\.test failed: no answer from the DNS server in time \(timeout\); check the DNS server\.$/,
    };
    const messages = await waitFor(
      () => `one diagnostic on each domain (now: ${domains.map((x) => `${x}: ${on(x).map((d) => d.message).join(' / ')}`).join('; ')})`,
      () => (domains.every((x) => on(x).length === 1 && expected[x].test(on(x)[0].message)) ? domains.map((x) => on(x)[0].message) : undefined),
      30_000,
    );
    assert.strictEqual(new Set(messages).size, domains.length);
  });
});
