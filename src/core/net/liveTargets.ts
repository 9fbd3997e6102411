// What the live checks probe, and which config line each target came from. Pure: no network here.
import { isIP } from 'net';
import { isLoopbackHost } from '../hosts';
import type { Endpoint, EndpointSecurity } from '../model';
import type { TransportDefinition } from '../nodemailer/transport';
import type { PostfixInstance } from '../postfix/instance';
import type { MainCfParameter } from '../postfix/mainCf';
import { serviceName, serviceType } from '../postfix/masterCf';
import { relayhostEntries } from '../postfix/relayhost';
import type { ConfigLocation } from './liveFindings';

export interface ProbeTarget {
  readonly host: string;
  readonly port: number;
  /** How the configuration means to talk to it (undefined for the Postfix server's own ports). */
  readonly security?: EndpointSecurity;
  readonly locations: ConfigLocation[];
}

export interface DomainTarget {
  readonly domain: string;
  readonly locations: ConfigLocation[];
}

export interface PtrTarget {
  /** An IP address, or a host name whose addresses are checked. */
  readonly hostOrAddress: string;
  /** The name the PTR should match (smtp_helo_name, else myhostname). */
  readonly expectedName?: string;
  readonly locations: ConfigLocation[];
}

export interface LiveTargets {
  readonly probes: ProbeTarget[];
  readonly domains: DomainTarget[];
  readonly ptrs: PtrTarget[];
}

const SERVICE_PORTS: Readonly<Record<string, number>> = { smtp: 25, submission: 587, smtps: 465, submissions: 465 };


/** A DNS name worth looking up: has a dot, no $reference, no table, not an address. */
function isDomainName(text: string): boolean {
  return /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+\.?$/.test(text) && !isIP(text);
}

class TargetSet {
  private readonly probes = new Map<string, ProbeTarget>();
  private readonly domains = new Map<string, DomainTarget>();
  private readonly ptrs = new Map<string, PtrTarget>();

  probe(host: string, port: number, at: ConfigLocation, security?: EndpointSecurity): void {
    const key = `${host.toLowerCase()}:${port}`;
    const t = this.probes.get(key) ?? { host, port, security, locations: [] };
    t.locations.push(at);
    this.probes.set(key, t);
  }

  domain(domain: string, at: ConfigLocation): void {
    const d = domain.toLowerCase().replace(/\.$/, '');
    const t = this.domains.get(d) ?? { domain: d, locations: [] };
    t.locations.push(at);
    this.domains.set(d, t);
  }

  ptr(hostOrAddress: string, expectedName: string | undefined, at: ConfigLocation): void {
    const t = this.ptrs.get(hostOrAddress) ?? { hostOrAddress, expectedName, locations: [] };
    t.locations.push(at);
    this.ptrs.set(hostOrAddress, t);
  }

  result(): LiveTargets {
    return { probes: [...this.probes.values()], domains: [...this.domains.values()], ptrs: [...this.ptrs.values()] };
  }
}

/** Probes, domains and addresses named by the configurations, each with the lines that named it. */
export function collectLiveTargets(instances: readonly PostfixInstance[], endpoints: readonly Endpoint[], transports: readonly TransportDefinition[]): LiveTargets {
  const set = new TargetSet();
  for (const e of endpoints) {
    if (e.host && e.port) set.probe(e.host, e.port, { file: e.file, range: e.range }, e.security);
  }
  for (const instance of instances) addPostfixTargets(instance, set);
  for (const t of transports) {
    const from = t.options.get('from');
    const domain = typeof from?.value === 'string' ? /@([^\s>]+)>?\s*$/.exec(from.value)?.[1] : undefined;
    if (from && domain && isDomainName(domain)) set.domain(domain, { file: from.file, range: from.range });
  }
  return set.result();
}

function addPostfixTargets(instance: PostfixInstance, set: TargetSet): void {
  const main = instance.main;
  if (!main) return;
  const at = (p: MainCfParameter): ConfigLocation => ({ file: main.source.file, range: main.range(p.valueSpan) });
  const value = (name: string) => instance.effectiveValue(name)?.trim() ?? '';

  // The server's own listening ports, probed at myhostname (only when main.cf names it).
  const myhostname = main.effective.get('myhostname');
  const hostname = value('myhostname');
  if (myhostname && isDomainName(hostname) && !isLoopbackHost(hostname)) {
    const ports = new Set<number>();
    for (const s of instance.master?.services ?? []) {
      if (serviceType(s) !== 'inet') continue;
      const name = serviceName(s);
      const port = name.slice(name.lastIndexOf(':') + 1);
      const n = /^\d+$/.test(port) ? Number(port) : SERVICE_PORTS[port];
      if (n === 25 || n === 587 || n === 465) ports.add(n);
    }
    if (!instance.master) ports.add(25);
    for (const port of [...ports].sort((a, b) => a - b)) set.probe(hostname, port, at(myhostname));
    const helo = value('smtp_helo_name');
    set.ptr(hostname, isDomainName(helo) ? helo : hostname, at(myhostname));
  }

  // Addresses the server sends from.
  for (const name of ['smtp_bind_address', 'smtp_bind_address6', 'inet_interfaces']) {
    const p = main.effective.get(name);
    if (!p) continue;
    for (const token of value(name).split(/[\s,]+/)) {
      const address = token.replace(/^\[|\]$/g, '');
      if (isIP(address) && !isLoopbackHost(address) && address !== '::') {
        set.ptr(address, isDomainName(hostname) ? (isDomainName(value('smtp_helo_name')) ? value('smtp_helo_name') : hostname) : undefined, at(p));
      }
    }
  }

  // Domains whose MX matters: where this server's mail comes from and goes to.
  for (const name of ['mydomain', 'myorigin', 'mydestination']) {
    const p = main.effective.get(name);
    if (!p) continue;
    for (const token of value(name).split(/[\s,]+/)) {
      if (isDomainName(token) && !/^localhost(\.|$)/i.test(token) && token.toLowerCase() !== hostname.toLowerCase()) set.domain(token, at(p));
    }
  }
  // An unbracketed relayhost is looked up by MX, like Postfix does.
  const relay = main.effective.get('relayhost');
  if (relay) {
    for (const e of relayhostEntries(relay)) {
      if (!e.bracketed && isDomainName(e.host)) set.domain(e.host, { file: main.source.file, range: main.range(e.span) });
    }
  }
}
