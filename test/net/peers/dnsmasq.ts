// A real DNS server for the net tests: Debian's dnsmasq on 127.0.0.1, a free port, records from options,
// no config file, no pid file, no upstream. Queries in tests go here and nowhere else.

import { ChildProcess, spawn } from 'child_process';
import * as dgram from 'dgram';
import { promises as dnsPromises } from 'dns';
import * as fs from 'fs';
import * as net from 'net';

export const DNSMASQ_PATH = process.env.SMTP_DOCTOR_DNSMASQ ?? '/usr/sbin/dnsmasq';

export interface DnsmasqOptions {
  /** MX records; exchange "." with preference 0 is a null MX (RFC 7505). */
  readonly mx?: readonly { readonly domain: string; readonly exchange: string; readonly preference: number }[];
  /** A/AAAA records (dnsmasq also answers the matching PTR for each address). */
  readonly hosts?: readonly { readonly name: string; readonly addresses: readonly string[] }[];
  readonly cnames?: readonly { readonly alias: string; readonly target: string }[];
  /** PTR records by their full reverse name, e.g. "1.2.0.192.in-addr.arpa". */
  readonly ptrs?: readonly { readonly reverseName: string; readonly target: string }[];
  readonly txts?: readonly { readonly name: string; readonly text: readonly string[] }[];
  /**
   * Zones answered from local data only: unknown names there get NXDOMAIN. Outside them, with no upstream,
   * dnsmasq answers REFUSED. Default: test, in-addr.arpa, ip6.arpa.
   */
  readonly localZones?: readonly string[];
  /** Log every query to this file (also: env SMTP_DOCTOR_DNSMASQ_LOG). */
  readonly logFile?: string;
  readonly extraArgs?: readonly string[];
}

export interface DnsmasqPeer {
  readonly port: number;
  /** "127.0.0.1:PORT", for `DnsCheckOptions.servers`. */
  readonly server: string;
  /** What dnsmasq wrote to stderr so far (bounded), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Whether the dnsmasq tests can run; throws a clear error when dnsmasq is missing and skipping is not allowed. */
export function dnsmasqAvailable(): boolean {
  if (fs.existsSync(DNSMASQ_PATH)) return true;
  if (process.env.SMTP_DOCTOR_ALLOW_NO_DNSMASQ === '1') return false;
  throw new Error(`dnsmasq not found at ${DNSMASQ_PATH}: install Debian dnsmasq-base, or set SMTP_DOCTOR_ALLOW_NO_DNSMASQ=1 to skip the DNS tests`);
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function dnsmasqArgs(port: number, options: DnsmasqOptions): string[] {
  const args = [
    '--keep-in-foreground',
    '--no-resolv',
    '--no-hosts',
    '--bind-interfaces',
    '--listen-address=127.0.0.1',
    `--port=${port}`,
    // No argument: read no config file, write no pid file (the default /run/dnsmasq.pid is shared).
    '--conf-file',
    '--pid-file',
  ];
  const logFile = options.logFile ?? process.env.SMTP_DOCTOR_DNSMASQ_LOG;
  args.push(logFile ? `--log-facility=${logFile}` : '--log-facility=-');
  if (logFile) args.push('--log-queries');
  for (const zone of options.localZones ?? ['test', 'in-addr.arpa', 'ip6.arpa']) args.push(`--local=/${zone}/`);
  for (const m of options.mx ?? []) args.push(`--mx-host=${m.domain},${m.exchange},${m.preference}`);
  for (const h of options.hosts ?? []) args.push(`--host-record=${[h.name, ...h.addresses].join(',')}`);
  for (const c of options.cnames ?? []) args.push(`--cname=${c.alias},${c.target}`);
  for (const p of options.ptrs ?? []) args.push(`--ptr-record=${p.reverseName},${p.target}`);
  for (const t of options.txts ?? []) args.push(`--txt-record=${[t.name, ...t.text].join(',')}`);
  args.push(...(options.extraArgs ?? []));
  return args;
}

/** A port free for both UDP and TCP on 127.0.0.1 right now (dnsmasq needs both). */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const server = net.createServer();
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
    });
    const udp = dgram.createSocket('udp4');
    const udpFree = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '127.0.0.1', () => resolve(true));
    });
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (udpFree) return port;
  }
  throw new Error('no free UDP+TCP port on 127.0.0.1');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts dnsmasq and resolves once it answers queries. */
export async function startDnsmasq(options: DnsmasqOptions = {}): Promise<DnsmasqPeer> {
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      return await launch(port, options);
    } catch (e) {
      lastError = e as Error;
      // Another process took the port between our probe and dnsmasq's bind: try another.
      if (!/address already in use/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError ?? new Error('dnsmasq did not start');
}

async function launch(port: number, options: DnsmasqOptions): Promise<DnsmasqPeer> {
  const child = spawn(DNSMASQ_PATH, dnsmasqArgs(port, options), { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-16_000);
  });
  let exit: { code: number | null; signal: NodeJS.Signals | null; error?: Error } | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      exit = { code: null, signal: null, error };
      running.delete(child);
      resolve();
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      running.delete(child);
      resolve();
    });
  });

  const stop = async () => {
    if (!exit) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(killer);
    }
  };

  const deadline = Date.now() + 5000;
  const server = `127.0.0.1:${port}`;
  for (;;) {
    if (exit) {
      const why = exit.error ? exit.error.message : `exit code ${exit.code}, signal ${exit.signal}`;
      throw new Error(`dnsmasq ${dnsmasqArgs(port, options).join(' ')} stopped (${why}): ${stderr.trim()}`);
    }
    if (await answers(server)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`dnsmasq on ${server} did not answer within 5 s: ${stderr.trim()}`);
    }
    await sleep(30);
  }
  return { port, server, output: () => stderr, stop };
}

/** Any DNS answer at all (even REFUSED or NXDOMAIN) means the server is up. */
async function answers(server: string): Promise<boolean> {
  const resolver = new dnsPromises.Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([server]);
  try {
    await resolver.resolve4('readiness-probe.test');
    return true;
  } catch (e) {
    const code = (e as { code?: string }).code;
    return code !== 'ECONNREFUSED' && code !== 'ETIMEOUT' && code !== 'ECANCELLED';
  }
}
