// What the live checks probe, and which config line each target came from. Pure: no network here.
import { isIP } from 'net';
import { basename } from 'path';
import { outboundEndpoints } from '../composeServices';
import { escapeRegExp } from '../escape';
import { isLoopbackHost } from '../hosts';
import type { Endpoint, EndpointSecurity, Range } from '../model';
import { LineIndex } from '../text';
import type { TransportDefinition } from '../sources/app/transport';
import type { PostfixInstance } from '../sources/postfix/instance';
import type { MainCfParameter } from '../sources/postfix/mainCf';
import { type MasterCfService, serviceName, serviceType } from '../sources/postfix/masterCf';
import { relayhostEntries } from '../sources/postfix/relayhost';
import type { ConfigLocation } from './configLocation';
import { PostfixServer } from './postfixServer';
import type { ServerRef } from './serverRef';
import { type DkimSelector, dkimTargets } from '../sources/dkimSigning/selectors';

/**
 * Why a host:port is probed, which decides how much an invalid certificate matters there:
 * - `submission`: port 465 or 587, a server the configuration authenticates to, or an application's SMTP
 *   server. Its clients verify the certificate (nodemailer does by default), so an untrusted, expired or
 *   misnamed one fails every send: error.
 * - `mx`: port 25 where senders use opportunistic TLS and do not verify the certificate — this Postfix
 *   server's own port 25, or a relayhost on 25 that Postfix reaches without SASL at an opportunistic TLS
 *   level. An invalid certificate changes nothing there: information. DANE (TLSA records) or MTA-STS would
 *   make senders verify; we do not look those up yet (see `CertificatePolicy`).
 * - `other`: anything else (a host checked by hand on an unusual port...): the rules' default severities.
 */
export type { ProbeRole } from './probeRole';
import type { ProbeRole } from './probeRole';
import { roleOfPort } from './probeRole';
export { roleOfPort, startsTlsAtConnect } from './probeRole';

/**
 * Hook for DANE / MTA-STS: a published policy that makes senders verify an MX's certificate, so its
 * certificate problems count as on a submission port. Nothing sets it yet: we do not look up TLSA records
 * or MTA-STS policies.
 */
export type CertificatePolicy = 'dane' | 'mta-sts';

/** The setting that decides whether a client starts TLS at connect, for smtp/tls-mode-mismatch to name. */
export interface TlsModeSetting {
  /**
   * Whose setting: a nodemailer-style transport's `secure`, Postfix's SMTP client (`smtp_tls_wrappermode`,
   * for relayhost), or the Postfix server's own service (`smtpd_tls_wrappermode` in master.cf).
   */
  readonly kind: 'nodemailer' | 'postfix-client' | 'postfix-server';
  /** Where it is written; undefined when the mode is a default (e.g. nodemailer's `secure` on port 465). */
  readonly at?: ConfigLocation;
  /** The environment variable the option is read from, if any. */
  readonly variable?: string;
  /** The URL's scheme decides it (`smtps://` is `secure: true`). */
  readonly viaUrl?: boolean;
}

/** One line that names a probe target, with what that configuration expects of it. */
export interface ProbeLocation extends ConfigLocation {
  /** How this configuration means to talk to the host (undefined for the Postfix server's own ports). */
  readonly security?: EndpointSecurity;
  readonly role?: ProbeRole;
  readonly tlsMode?: TlsModeSetting;
  /**
   * Set for the Postfix server's own ports: the configuration that decides what the server does. Not
   * enumerable, so that JSON and copies of a location leave the configuration (and its secrets) out.
   */
  readonly server?: ServerRef;
  /** Where the port is written, when it is (connection failures are about it). */
  readonly portAt?: ConfigLocation;
}

export interface ProbeTarget {
  readonly host: string;
  readonly port: number;
  /** How the configuration means to talk to it (undefined for the Postfix server's own ports). */
  readonly security?: EndpointSecurity;
  /** The most demanding role of its locations (undefined: from the port, see `roleOfPort`). */
  readonly role?: ProbeRole;
  /** Set when a published DANE or MTA-STS policy covers it (nothing sets it yet). */
  readonly certificatePolicy?: CertificatePolicy;
  readonly locations: ProbeLocation[];
  /** Set for the port-25 probe of an MX host: the checked domains it receives mail for. */
  readonly mxOf?: readonly string[];
}

const ROLE_RANK: Readonly<Record<ProbeRole, number>> = { submission: 0, other: 1, mx: 2 };

/**
 * The role of an endpoint a configuration sends to: submission on 465/587, with authentication, or for an
 * application (whose client verifies certificates); a Postfix relayhost on 25 without SASL at an opportunistic
 * TLS level is an MX-style hop (Postfix does not verify at `may`).
 */
export function endpointRole(e: Pick<Endpoint, 'port' | 'authPresent' | 'source' | 'security'>): ProbeRole {
  if (e.port === 465 || e.port === 587 || e.authPresent) return 'submission';
  // A client that never starts TLS never sees the certificate.
  if (e.security === 'none') return 'other';
  if (e.source !== 'postfix-relayhost') return 'submission';
  if (e.port === 25 && e.security === 'starttls-opportunistic') return 'mx';
  return 'other';
}

/** The option that chose an endpoint's TLS mode, from what the endpoint records. */
export function endpointTlsModeSetting(e: Endpoint): TlsModeSetting {
  if (e.source === 'postfix-relayhost') return { kind: 'postfix-client', at: e.optionRanges.smtp_tls_wrappermode };
  const secure = e.optionRanges.secure;
  const variable = e.envOrigins?.secure?.variable;
  if (secure) return { kind: 'nodemailer', at: secure, variable };
  const url = e.optionRanges.url;
  if (url || e.source === 'smtp-url') return { kind: 'nodemailer', at: url, viaUrl: true };
  return { kind: 'nodemailer' };
}

/** The envelope sender SPF's check_host() is evaluated for, as a configuration states it. */
export interface StatedSender {
  /** local-part@domain. */
  readonly address: string;
  /** The HELO/EHLO name the configuration sends with, when it says (%{h}). */
  readonly helo?: string;
  /** Where it comes from, for the evidence: "postmaster at myorigin (main.cf)", "from (mailer.js)". */
  readonly origin: string;
}

export interface DomainTarget {
  readonly domain: string;
  readonly locations: ConfigLocation[];
  /** A relayhost's domain (someone else's servers), not a domain of the workspace's own. */
  readonly relay?: boolean;
  /** The first sender a configuration states in this domain (a Postfix domain's postmaster, an app's from). */
  readonly sender?: StatedSender;
}

export interface PtrTarget {
  /** An IP address, or a host name whose addresses are checked. */
  readonly hostOrAddress: string;
  /** The name the PTR should match (smtp_helo_name, else myhostname). */
  readonly expectedName?: string;
  readonly locations: ConfigLocation[];
}

/** A DKIM key a configuration signs with: `selector._domainkey.domain` must publish it. */
export interface DkimKeyTarget {
  readonly selector: string;
  readonly domain: string;
  readonly locations: ConfigLocation[];
}

export interface LiveTargets {
  readonly probes: ProbeTarget[];
  readonly domains: DomainTarget[];
  readonly ptrs: PtrTarget[];
  /** DKIM keys named by the configurations (none when no config signs). */
  readonly dkim?: DkimKeyTarget[];
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

  probe(host: string, port: number, at: ProbeLocation, security?: EndpointSecurity): void {
    const key = `${host.toLowerCase()}:${port}`;
    const t = this.probes.get(key) ?? { host, port, security, locations: [] };
    t.locations.push(at);
    const role = at.role && (!t.role || ROLE_RANK[at.role] < ROLE_RANK[t.role]) ? at.role : t.role;
    this.probes.set(key, role === t.role ? t : { ...t, role });
  }

  domain(domain: string, at: ConfigLocation, sender?: StatedSender, relay = false): void {
    const d = domain.toLowerCase().replace(/\.$/, '');
    const known = this.domains.get(d);
    const t = known ?? { domain: d, locations: [], ...(relay ? { relay } : {}) };
    t.locations.push(at);
    // A domain the workspace also names as its own is its own.
    const own = known?.relay && !relay ? { ...t, relay: undefined } : t;
    this.domains.set(d, own.sender || !sender ? own : { ...own, sender });
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

/**
 * A range that is one line at most: a range over several lines ends where its first line does. Live findings
 * underline a value, never a block.
 */
export function firstLineOf(range: Range, text: string | undefined): Range {
  if (range.start.line === range.end.line) return range;
  const lines = text === undefined ? undefined : new LineIndex(text);
  const end = lines && range.start.line < lines.lineCount ? lines.lineEnd(range.start.line) - lines.lineStart(range.start.line) : range.start.character + 1;
  return { start: range.start, end: { line: range.start.line, character: Math.max(range.start.character, end) } };
}

/** The value a live finding about an endpoint sits on: its host, else its URL or service, else the definition's first line. */
function endpointAnchor(e: Endpoint, textOf: (file: string) => string | undefined): ConfigLocation {
  const o = e.optionRanges;
  const at = o.host ?? o.url ?? o.service ?? { file: e.file, range: e.range };
  return { file: at.file, range: firstLineOf(at.range, textOf(at.file)) };
}

/**
 * Probes, domains and addresses named by the configurations, each with the value that named it (one line at
 * most). `textOf` gives a config's text, to cut ranges to one line and to tell mail-server compose services apart.
 */
export function collectLiveTargets(
  instances: readonly PostfixInstance[],
  endpoints: readonly Endpoint[],
  transports: readonly TransportDefinition[],
  dkimSelectors: readonly DkimSelector[] = [],
  textOf: (file: string) => string | undefined = () => undefined,
): LiveTargets {
  const set = new TargetSet();
  for (const e of outboundEndpoints(endpoints, textOf)) {
    if (!e.host || !e.port) continue;
    let tlsMode = endpointTlsModeSetting(e);
    if (e.source === 'postfix-relayhost' && !tlsMode.at) {
      // relayhost.ts records only the relayhost line; the wrappermode line is in the same main.cf.
      const main = instances.find((i) => i.main?.source.file === e.file)?.main;
      const p = main?.effective.get('smtp_tls_wrappermode');
      if (main && p) tlsMode = { ...tlsMode, at: { file: main.source.file, range: main.range(p.valueSpan) } };
    }
    const port = e.optionRanges.port;
    const portAt = port && { file: port.file, range: firstLineOf(port.range, textOf(port.file)) };
    set.probe(e.host, e.port, { ...endpointAnchor(e, textOf), security: e.security, role: endpointRole(e), tlsMode, ...(portAt ? { portAt } : {}) }, e.security);
  }
  for (const instance of instances) addPostfixTargets(instance, set);
  for (const t of transports) {
    const from = t.options.get('from');
    const address = typeof from?.value === 'string' ? /(?:^|[\s<"])([^\s<>"]+@([^\s<>"]+))>?\s*$/.exec(from.value) : undefined;
    if (!from || !address || !isDomainName(address[2])) continue;
    const name = t.options.get('name');
    const helo = typeof name?.value === 'string' && isDomainName(name.value) ? name.value : undefined;
    set.domain(address[2], { file: from.file, range: firstLineOf(from.range, textOf(from.file)) }, { address: address[1], ...(helo ? { helo } : {}), origin: `from (${basename(from.file)})` });
  }
  const dkim = dkimTargets(dkimSelectors).map((t) => ({ selector: t.selector, domain: t.domain, locations: t.locations.map((l) => ({ file: l.file, range: firstLineOf(l.range, textOf(l.file)) })) }));
  return dkim.length ? { ...set.result(), dkim } : set.result();
}

function addPostfixTargets(instance: PostfixInstance, set: TargetSet): void {
  const main = instance.main;
  if (!main) return;
  const at = (p: MainCfParameter): ConfigLocation => ({ file: main.source.file, range: firstLineOf(main.range(p.valueSpan), main.source.text) });
  /** The token as written in the value when it is (a continued value names each domain on its own line), else the value. */
  const tokenAt = (p: MainCfParameter, token: string): ConfigLocation => {
    const m = new RegExp(`(^|[\\s,])${escapeRegExp(token)}(?=$|[\\s,])`).exec(p.value);
    if (!m) return at(p);
    const from = m.index + m[1].length;
    return { file: main.source.file, range: firstLineOf(main.range(p.spanOfValue(from, from + token.length)), main.source.text) };
  };
  const value = (name: string) => instance.effectiveValue(name)?.trim() ?? '';

  // The server's own listening ports, probed at myhostname (only when main.cf names it).
  const myhostname = main.effective.get('myhostname');
  const hostname = value('myhostname');
  if (myhostname && isDomainName(hostname) && !isLoopbackHost(hostname)) {
    /** Each port, with where its service's TLS mode is written (the -o smtpd_tls_wrappermode, else the service line). */
    const ports = new Map<number, { at?: ConfigLocation; service?: MasterCfService }>();
    const master = instance.master;
    for (const s of master?.services ?? []) {
      if (serviceType(s) !== 'inet') continue;
      const name = serviceName(s);
      const port = name.slice(name.lastIndexOf(':') + 1);
      const n = /^\d+$/.test(port) ? Number(port) : SERVICE_PORTS[port];
      if (master && (n === 25 || n === 587 || n === 465) && !ports.has(n)) {
        const o = [...s.overrides].reverse().find((x) => x.name === 'smtpd_tls_wrappermode');
        ports.set(n, { at: { file: master.source.file, range: master.range(o ? o.span : s.fields[0].span) }, service: s });
      }
    }
    if (!master) ports.set(25, {});
    for (const [port, service] of [...ports].sort((a, b) => a[0] - b[0])) {
      const location: ProbeLocation = { ...at(myhostname), role: roleOfPort(port), tlsMode: { kind: 'postfix-server', at: service.at } };
      // Non-enumerable: the instance holds the whole configuration (passwords included), which no report may print.
      Object.defineProperty(location, 'server', { value: new PostfixServer(instance, port, service.service), enumerable: false });
      set.probe(hostname, port, location);
    }
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
        set.ptr(address, isDomainName(hostname) ? (isDomainName(value('smtp_helo_name')) ? value('smtp_helo_name') : hostname) : undefined, tokenAt(p, token));
      }
    }
  }

  // Domains whose MX matters: where this server's mail comes from and goes to. SPF is checked for the
  // domain's postmaster, sent with the HELO name this main.cf sets (smtp_helo_name, else myhostname).
  const heloName = main.effective.get('smtp_helo_name') ? value('smtp_helo_name') : myhostname ? hostname : '';
  const helo = isDomainName(heloName) ? heloName : undefined;
  for (const name of ['mydomain', 'myorigin', 'mydestination']) {
    const p = main.effective.get(name);
    if (!p) continue;
    for (const token of value(name).split(/[\s,]+/)) {
      if (!isDomainName(token) || /^localhost(\.|$)/i.test(token) || token.toLowerCase() === hostname.toLowerCase()) continue;
      set.domain(token, tokenAt(p, token), { address: `postmaster@${token.replace(/\.$/, '')}`, ...(helo ? { helo } : {}), origin: `postmaster at ${name} (${basename(main.source.file)})` });
    }
  }
  // An unbracketed relayhost is looked up by MX, like Postfix does.
  const relay = main.effective.get('relayhost');
  if (relay) {
    for (const e of relayhostEntries(relay)) {
      if (!e.bracketed && isDomainName(e.host)) set.domain(e.host, { file: main.source.file, range: firstLineOf(main.range(e.span), main.source.text) }, undefined, true);
    }
  }
}
