// Mail-authentication results in the real VS Code: a main.cf names a domain; its SPF and DMARC records
// come from a DNS server on loopback (the in-process test/net/peers/wireDns.ts); Re-check on the file
// puts the results in the Results tree under the domain and as diagnostics on the line that named it.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { T, rdata, startWireDns, type WireDnsPeer } from '../../net/peers/wireDns';
import { allResultNodes, extensionReady, rulesOf, waitFor, waitForDiagnostics, waitForRule, workspaceUri } from '../helpers';

const txt = (...strings: string[]) => Buffer.concat(strings.map((s) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)])));

describe('mail authentication in VS Code', () => {
  let dns: WireDnsPeer;
  const mainCf = () => workspaceUri('watched', 'authpf', 'main.cf');
  const settings = () => vscode.workspace.getConfiguration('smtpDoctor');

  before(async () => {
    await extensionReady();
    dns = await startWireDns({
      records: [
        { name: 'auth.test', type: T.MX, data: rdata.mx(10, 'mx.auth.test') },
        { name: 'mx.auth.test', type: T.A, data: rdata.a('127.0.0.1') },
        { name: 'auth.test', type: T.TXT, data: txt('v=spf1 -all') },
      ],
    });
    // Network rule: every lookup goes to that loopback server, outbound-25 probes stay on loopback.
    await settings().update('dnsServers', [dns.server], vscode.ConfigurationTarget.Workspace);
    await settings().update('live.outbound25ProbeHosts', ['127.0.0.1'], vscode.ConfigurationTarget.Workspace);
    await settings().update('live.timeoutMs', 1500, vscode.ConfigurationTarget.Workspace);
    await settings().update('live.dnsblZones', [], vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await vscode.workspace.fs.delete(workspaceUri('watched', 'authpf'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await settings().update('live.dnsblZones', undefined, vscode.ConfigurationTarget.Workspace);
    await dns?.close();
  });

  it('SPF passes and DMARC is missing: both under the domain in the tree, the finding on the mydomain line', async () => {
    const text = 'compatibility_level = 3.6\nmyhostname = mail.auth.test\nmydomain = auth.test\n';
    await vscode.workspace.fs.writeFile(mainCf(), new TextEncoder().encode(text));
    const results = (await extensionReady()).results;
    // The scan has read the file (its static findings are there) before the re-check looks for its targets.
    await waitForRule(mainCf(), 'postfix/tls-disabled');

    await vscode.commands.executeCommand('smtpDoctor.recheck', mainCf());
    // The MX host (127.0.0.1) is probed on port 25 too: where it refuses, that error speaks for the mydomain line
    // and DMARC rides along (one range, one diagnostic), so DMARC is looked for among the rules of each diagnostic.
    const diagnostics = await waitForDiagnostics(mainCf(), (ds) => ds.some((d) => rulesOf(d).includes('dns/dmarc-missing')), 'a dns/dmarc-missing finding');
    const dmarc = diagnostics.find((d) => rulesOf(d).includes('dns/dmarc-missing'))!;
    assert.strictEqual(dmarc.range.start.line, 2, 'on the mydomain line');
    assert.ok(!vscode.languages.getDiagnostics(mainCf()).some((d) => rulesOf(d).includes('dns/spf-missing')), 'SPF is published');
    assert.ok(dns.queries.some((q) => q.name === '_dmarc.auth.test'), 'DMARC was asked of the loopback server');

    const domain = await waitFor('SPF and DMARC under auth.test', () => {
      const node = allResultNodes(results).find((n) => n.kind === 'domain' && n.label === 'auth.test');
      const labels = node?.children.map((c) => c.label) ?? [];
      return labels.includes('SPF') && labels.includes('DMARC') ? node : undefined;
    });
    const check = (label: string) => domain.children.find((c) => c.label === label)!;
    assert.strictEqual(check('SPF').state, 'pass', check('SPF').description);
    assert.match(check('SPF').description, /v=spf1 -all|-all/);
    assert.strictEqual(check('DMARC').state, 'warning');
    assert.match(domain.description, /check DMARC/);
  });
});
