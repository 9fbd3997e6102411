// smtp-doctor port: probe SMTP on one host, on one port or a list, and print every fact found.
import { parseIpAddress } from '../../core/hosts';
import { runLiveChecks } from '../../core/live/liveChecks';
import { EarlyConnections } from '../../core/live/smtpConnection';
import { redactStrings } from '../../core/redact';
import { formatLiveText } from '../../core/report/liveText';
import { formatOption, type Io, type NetOptions, netOption, UsageError } from '../args';

/** Ports probed when neither HOST:PORT nor --port names one. */
const DEFAULT_PORTS = [25, 587, 465];

export async function port(args: readonly string[], io: Io): Promise<number> {
  let format = 'text';
  let verbose = false;
  let ports: number[] | undefined;
  const net: NetOptions = { dns: [] };
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const used = netOption(args, i, net, 'port');
    const f = used ? undefined : formatOption(args, i);
    if (used) i += used - 1;
    else if (f) {
      format = f.format;
      i += f.used - 1;
    } else if (a === '--port' || a.startsWith('--port=')) {
      const list = a === '--port' ? args[++i] ?? '' : a.slice('--port='.length);
      ports = list.split(',').map((p) => Number(p.trim()));
      if (ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) throw new UsageError(`--port takes port numbers like 25,587,465, not "${list}"`, 'port');
    } else if (a === '--verbose' || a === '-v') verbose = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option "${a}"`, 'port');
    else targets.push(a);
  }
  if (targets.length !== 1) throw new UsageError('port takes exactly one HOST[:PORT]', 'port');
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format must be text or json, not "${format}"`, 'port');
  const m = /^(\[[^\]]+\]|[^:\s]+|[0-9a-f:]+)(?::(\d+))?$/i.exec(targets[0]);
  if (!m) throw new UsageError(`"${targets[0]}" is not HOST[:PORT]`, 'port');
  const host = m[1].replace(/^\[|\]$/g, '');
  const probePorts = [...new Set(m[2] ? [Number(m[2])] : ports ?? DEFAULT_PORTS)];
  const where = { file: '(command line)', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  // Each port is its own service with its own connection limits, and the list is what the user asked for:
  // one wave by default (plus the host's one address lookup and the outbound-25 probes).
  const concurrency = net.concurrency ?? probePorts.length + 4;
  // The connections to an address start now, and the probes are prepared while they are made and the servers
  // get ready to greet. Not beyond the concurrency: a connection waiting for a free slot would sit idle.
  const early = parseIpAddress(host) && probePorts.length <= concurrency ? new EarlyConnections(host, probePorts) : undefined;
  let live: Awaited<ReturnType<typeof runLiveChecks>>;
  try {
    await early?.started();
    live = await runLiveChecks(
      { probes: probePorts.map((p) => ({ host, port: p, locations: [where] })), domains: [], ptrs: [] },
      {
        stepTimeoutMs: net.timeoutMs,
        dnsServers: net.dns.length ? net.dns : undefined,
        dnsSetting: '--dns',
        // No systemDnsServers: the DNS client then asks the servers Node's resolver read from the same
        // resolv.conf, so port does not read the file itself.
        concurrency,
        ehloName: net.ehlo,
        referenceHosts: net.probeHosts,
        earlyConnections: early,
      },
    );
  } finally {
    early?.close();
  }
  const probes = probePorts.map((p) => live.probes.find((r) => r.port === p)!).filter(Boolean);
  if (format === 'json') {
    const findings = live.findings.map((f) => ({ rule: f.ruleId, severity: f.severity, message: f.message, ...(f.details ? { details: f.details } : {}) }));
    io.out(JSON.stringify({ ...redactStrings({ probes, outbound25: live.outbound25, tlsScans: live.tlsScans ?? [], ...(live.resolver ? { resolver: live.resolver } : {}) }), findings }, null, 2) + '\n');
  } else {
    io.out(formatLiveText({ ...live, probes }));
    for (const f of live.findings) io.out(`${f.severity}: ${f.message} [${f.ruleId}]\n${verbose && f.details ? `    ${f.details}\n` : ''}`);
  }
  // A port that could not be probed at all (its name could not be resolved) is a failed probe too.
  return probes.length < probePorts.length || live.findings.some((f) => f.severity === 'error') ? 1 : 0;
}
