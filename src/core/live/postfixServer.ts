// The workspace's own Postfix server as the live checks see it: who it trusts (mynetworks), how to fix weak
// TLS in Postfix's words, and on which setting a live finding belongs. The live checks reach it only through
// the ServerRef interface, so they (and the `port` command's bundle) do not load the Postfix linter.

import type { Finding, RelatedLocation } from '../model';
import { type Cidr, cidrContains, isLoopbackHost, isPublicAddress, parseIpAddress } from '../hosts';
import type { PostfixInstance } from '../sources/postfix/instance';
import { lintPostfixInstance } from '../sources/postfix/lintPostfix';
import type { MasterCfService } from '../sources/postfix/masterCf';
import { openRelay } from '../sources/postfix/rules/openRelay';
import { tlsDisabled } from '../sources/postfix/rules/tlsDisabled';
import { weakTlsProtocol } from '../sources/postfix/rules/weakTlsProtocol';
import { lastOverride, listTokens, serviceSetting } from '../sources/postfix/serviceScope';
import type { ConfigLocation } from './configLocation';
import { LIVE_RULES } from './liveRules';
import type { ServerRef, ServerTlsFixes } from './serverRef';
import { SERVER_RULES } from './serverRules';
import type { WeakCipherFamily } from './tlsHello';
import { FAMILY_OPENSSL } from './tlsScanFindings';

/** A Postfix instance and the master.cf service listening on the port. */
export class PostfixServer implements ServerRef {
  constructor(
    readonly instance: PostfixInstance,
    readonly port: number,
    readonly service?: MasterCfService,
  ) {}

  get localDomain(): string | undefined {
    return this.instance.effectiveValue('mydomain');
  }

  trustsClient(local: string, remote: string | undefined): boolean | undefined {
    return trustsClient(this, local, remote);
  }

  tlsFixes(): ServerTlsFixes {
    return postfixTlsFixes(this);
  }

  placeFindings(findings: readonly Finding[], named: ConfigLocation, describe: string): Finding[] {
    return placeOnServerSettings(findings, this, named, describe);
  }
}

/** Whether mynetworks takes in a client at `local` that the server sees as `remote`; undefined when not known (a table, NAT). */
function trustsClient(server: PostfixServer, local: string, remote: string | undefined): boolean | undefined {
  const instance = server.instance;
  const setting = server.service ? serviceSetting(instance, server.service) : (name: string) => instance.effectiveValue(name) ?? '';
  const sameMachine = isLoopbackHost(local) || local === remote;
  if (!instance.main?.effective.get('mynetworks') && !(server.service && lastOverride(server.service, 'mynetworks'))) {
    // The default: the server's own addresses (style host), its subnets or its classes.
    const style = setting('mynetworks_style').trim().toLowerCase() || 'host';
    return sameMachine ? true : style === 'host' ? false : undefined;
  }
  // Behind NAT the server sees another address than ours.
  const natted = !!remote && isPublicAddress(remote) && !isPublicAddress(local);
  const client = parseIpAddress(local);
  let unknown = false;
  let publicRange = false;
  for (const t of listTokens(setting('mynetworks'))) {
    const network = networkOf(t.text);
    if (!network) {
      // A table, a file or a host name: its content is not known here.
      unknown = true;
      continue;
    }
    if (!natted && client && cidrContains(network.cidr, client)) return true;
    if (network.public) publicRange = true;
  }
  if (natted) return publicRange || unknown ? undefined : false;
  return unknown ? undefined : false;
}

/**
 * A mynetworks entry as a network, brackets optional, and whether it reaches past private space (/0 or any
 * public network); undefined for a table, a file or a host name.
 */
function networkOf(token: string): { readonly cidr: Cidr; readonly public: boolean } | undefined {
  const m = /^\[?([0-9a-fA-F:.]+)\]?(?:\/(\d{1,3}))?$/.exec(token);
  const address = m ? parseIpAddress(m[1]) : undefined;
  if (!m || !address) return undefined;
  const width = address.bytes.length * 8;
  const prefix = m[2] === undefined ? width : Number(m[2]);
  if (prefix > width) return undefined;
  return { cidr: { address, prefix }, public: prefix < 8 || isPublicAddress(m[1]) };
}

/** How to fix weak TLS on a Postfix server, in Postfix's own words (for tlsScanFindings). */
export function postfixTlsFixes(server: PostfixServer): { versions: string; ciphers: (families: readonly WeakCipherFamily[]) => string } {
  const setting = server.service ? serviceSetting(server.instance, server.service) : (name: string) => server.instance.effectiveValue(name) ?? '';
  const mandatory = setting('smtpd_tls_security_level').trim().toLowerCase() === 'encrypt';
  const excluded = setting('smtpd_tls_exclude_ciphers').trim();
  return {
    versions: `set ${mandatory ? 'smtpd_tls_mandatory_protocols' : 'smtpd_tls_protocols'} = >=TLSv1.2`,
    ciphers: (families) => `set smtpd_tls_exclude_ciphers = ${[excluded, ...families.map((f) => FAMILY_OPENSSL[f])].filter(Boolean).join(', ')}`,
  };
}

/** The Postfix settings that decide each live rule on the server side, first written one wins. */
const SETTINGS_OF: Readonly<Record<string, (setting: (name: string) => string) => readonly string[]>> = {
  [LIVE_RULES.certExpired.id]: () => ['smtpd_tls_chain_files', 'smtpd_tls_cert_file', 'smtpd_tls_eccert_file'],
  [LIVE_RULES.certExpiring.id]: () => ['smtpd_tls_chain_files', 'smtpd_tls_cert_file', 'smtpd_tls_eccert_file'],
  [LIVE_RULES.certUntrusted.id]: () => ['smtpd_tls_chain_files', 'smtpd_tls_cert_file', 'smtpd_tls_eccert_file'],
  [LIVE_RULES.certHostnameMismatch.id]: () => ['smtpd_tls_chain_files', 'smtpd_tls_cert_file', 'smtpd_tls_eccert_file'],
  [LIVE_RULES.starttlsMissing.id]: () => ['smtpd_tls_security_level', 'smtpd_use_tls', 'smtpd_enforce_tls'],
  [LIVE_RULES.starttlsFailed.id]: () => ['smtpd_tls_chain_files', 'smtpd_tls_cert_file', 'smtpd_tls_key_file', 'smtpd_tls_security_level'],
  [LIVE_RULES.tlsWeakVersion.id]: (setting) =>
    ['encrypt'].includes(setting('smtpd_tls_security_level').trim().toLowerCase()) ? ['smtpd_tls_mandatory_protocols', 'smtpd_tls_protocols'] : ['smtpd_tls_protocols', 'smtpd_tls_mandatory_protocols'],
  [SERVER_RULES.tlsWeakCipher.id]: () => ['smtpd_tls_exclude_ciphers', 'smtpd_tls_ciphers', 'smtpd_tls_mandatory_ciphers', 'tls_medium_cipherlist', 'tls_high_cipherlist'],
  [SERVER_RULES.openRelay.id]: () => ['mynetworks', 'smtpd_relay_restrictions', 'smtpd_recipient_restrictions'],
};

/** Static rules that report the same cause as a live rule (then the live result confirms it, quietly). */
const STATIC_TWIN: Readonly<Record<string, { readonly rule: typeof openRelay; readonly anywhere: boolean }>> = {
  [LIVE_RULES.starttlsMissing.id]: { rule: tlsDisabled, anywhere: false },
  [LIVE_RULES.tlsWeakVersion.id]: { rule: weakTlsProtocol, anywhere: false },
  [SERVER_RULES.openRelay.id]: { rule: openRelay, anywhere: true },
};

/** Where a parameter is written for a service: its -o override, else main.cf; undefined when it is a default. */
export function settingLocation(server: PostfixServer, name: string): ConfigLocation | undefined {
  const { instance, service } = server;
  const override = service && lastOverride(service, name);
  if (override && instance.master) return { file: instance.master.source.file, range: instance.master.range(override.valueSpan.end > override.valueSpan.start ? override.valueSpan : override.nameSpan) };
  const p = instance.main?.effective.get(name);
  if (p && instance.main) return { file: instance.main.source.file, range: instance.main.range(p.value ? p.valueSpan : p.nameSpan) };
  return undefined;
}

const sameLine = (a: ConfigLocation, b: { file: string; range: ConfigLocation['range'] }) => a.file === b.file && a.range.start.line === b.range.start.line;

/** Restrictions that end the relay decision for a stranger (Postfix's "working instances" of a relay check). */
const RELAY_GATES = new Set(['reject_unauth_destination', 'defer_unauth_destination', 'reject', 'defer', 'defer_if_permit', 'check_relay_domains']);
/** Permits that cannot apply to the relay test's client: it is not in mynetworks, did not log in, sent no certificate. */
const NOT_FOR_STRANGERS = new Set(['permit_mynetworks', 'permit_sasl_authenticated', 'permit_tls_clientcerts', 'permit_tls_all_clientcerts', 'permit_auth_destination', 'permit_mx_backup']);

/**
 * The restriction that let an unauthenticated stranger relay: an unconditional `permit`, or an access table
 * (check_client_access and friends) whose entries the workspace does not show, ahead of the relay check in
 * smtpd_relay_restrictions or smtpd_recipient_restrictions; undefined when none can be pointed at.
 */
function relayCulprit(server: PostfixServer): ConfigLocation | undefined {
  const { instance, service } = server;
  for (const name of ['smtpd_relay_restrictions', 'smtpd_recipient_restrictions']) {
    const override = service && lastOverride(service, name);
    const p = override ? undefined : instance.main?.effective.get(name);
    const raw = override?.value ?? p?.value;
    if (raw === undefined || raw.includes('$')) continue;
    const tokens = listTokens(raw);
    for (let i = 0; i < tokens.length; i++) {
      const word = tokens[i].text.toLowerCase();
      if (RELAY_GATES.has(word)) break;
      if (NOT_FOR_STRANGERS.has(word) || !(word === 'permit' || /^check_\w+_access$/.test(word))) continue;
      const end = word === 'permit' ? tokens[i].end : (tokens[i + 1] ?? tokens[i]).end;
      if (override && instance.master) return { file: instance.master.source.file, range: instance.master.range({ start: override.valueSpan.start + tokens[i].start, end: override.valueSpan.start + end }) };
      if (p && instance.main) return { file: instance.main.source.file, range: instance.main.range(p.spanOfValue(tokens[i].start, end)) };
    }
  }
  return undefined;
}

/**
 * Puts each finding about a server the workspace configures on the line of the setting that causes it, with
 * `named` (the line naming the server) as related information. A finding whose cause a static rule already
 * reports is dropped: that diagnostic is the one to act on, and the live result shows in the results.
 */
export function placeOnServerSettings(findings: readonly Finding[], server: PostfixServer, named: ConfigLocation, describe: string): Finding[] {
  const setting = server.service ? serviceSetting(server.instance, server.service) : (name: string) => server.instance.effectiveValue(name) ?? '';
  const staticCache = new Map<string, Finding[]>();
  const staticFindings = (rule: typeof openRelay) => {
    let found = staticCache.get(rule.meta.id);
    if (!found) staticCache.set(rule.meta.id, (found = lintPostfixInstance(server.instance, [rule])));
    return found;
  };
  const out: Finding[] = [];
  for (const f of findings) {
    const names = SETTINGS_OF[f.ruleId]?.(setting) ?? [];
    const culprit = f.ruleId === SERVER_RULES.openRelay.id ? relayCulprit(server) : undefined;
    const places = [...(culprit ? [culprit] : []), ...names.map((n) => settingLocation(server, n)).filter((l): l is ConfigLocation => !!l)];
    const twin = STATIC_TWIN[f.ruleId];
    if (twin) {
      const reported = staticFindings(twin.rule);
      if (reported.length && (twin.anywhere || places.some((p) => reported.some((r) => sameLine(p, r))) || (!places.length && reported.length))) continue;
    }
    const place = places[0];
    if (!place || sameLine(place, named)) {
      out.push(f);
      continue;
    }
    const related: RelatedLocation[] = [...(f.related ?? []), { file: named.file, range: named.range, message: describe }];
    out.push({ ...f, file: place.file, range: place.range, related });
  }
  return out;
}
