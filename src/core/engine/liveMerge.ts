// How a re-check of some targets folds into what earlier runs found: the targets and results of what it
// checks again are replaced, everything else is carried over as it was. Pure: no network here.
import type { Finding } from '../model';
import type { ConfigLocation } from '../live/configLocation';
import type { LiveCheckReport, LiveResult } from '../live/liveChecks';
import type { LiveTargets } from '../live/liveTargets';

/** One key per host:port, whatever the case of the name. */
export const probeKey = (host: string, port: number) => `${host.toLowerCase()}:${port}`;

const dkimKey = (t: { readonly selector: string; readonly domain: string }) => `${t.selector}._domainkey.${t.domain}`;

/** A report with nothing in it (a re-check that had nothing to check). */
export const EMPTY_LIVE_REPORT: LiveCheckReport = { probes: [], mx: [], ptr: [], outbound25: [], auth: [], findings: [], incomplete: false };

export function hasTargets(t: LiveTargets): boolean {
  return t.probes.length > 0 || t.domains.length > 0 || t.ptrs.length > 0 || (t.dkim?.length ?? 0) > 0;
}

/** The targets that one of `files` names (a file's re-check). */
export function targetsNamedIn(targets: LiveTargets, files: ReadonlySet<string>): LiveTargets {
  const named = <T extends { locations: readonly ConfigLocation[] }>(t: T) => t.locations.some((l) => files.has(l.file));
  return { probes: targets.probes.filter(named), domains: targets.domains.filter(named), ptrs: targets.ptrs.filter(named), dkim: targets.dkim?.filter(named) };
}

function byKey<T>(items: readonly T[], key: (t: T) => string, replacements: readonly T[]): T[] {
  const map = new Map(items.map((t) => [key(t), t]));
  for (const t of replacements) map.set(key(t), t);
  return [...map.values()];
}

/** The targets of earlier runs, with those checked again replaced. */
export function mergeTargets(previous: LiveTargets, next: LiveTargets): LiveTargets {
  return {
    probes: byKey(previous.probes, (t) => probeKey(t.host, t.port), next.probes),
    domains: byKey(previous.domains, (t) => t.domain, next.domains),
    ptrs: byKey(previous.ptrs, (t) => t.hostOrAddress, next.ptrs),
    dkim: byKey(previous.dkim ?? [], dkimKey, next.dkim ?? []),
  };
}

/** Earlier results of what a re-check does not check again, as the results of this run so far. */
export function carriedOver(previous: LiveCheckReport, all: LiveTargets, rerun: LiveTargets): LiveResult[] {
  const probes = new Set(rerun.probes.map((t) => probeKey(t.host, t.port)));
  const domains = new Set(rerun.domains.map((t) => t.domain));
  const ptrs = new Set(rerun.ptrs.map((t) => t.hostOrAddress));
  const targetOf = new Map(all.probes.map((t) => [probeKey(t.host, t.port), t]));
  const out: LiveResult[] = [];
  // What the last run learnt of the DNS servers holds until this run asks them again.
  if (previous.resolver) out.push({ kind: 'resolver', result: previous.resolver });
  for (const p of previous.probes) {
    const key = probeKey(p.host, p.port);
    if (!probes.has(key)) out.push({ kind: 'probe', result: p, target: targetOf.get(key) ?? { host: p.host, port: p.port, locations: [] } });
  }
  for (const m of previous.mx) if (!domains.has(m.domain)) out.push({ kind: 'mx', result: m });
  for (const r of previous.tlsScans ?? []) if (!probes.has(probeKey(r.host, r.port))) out.push({ kind: 'tls-scan', result: r });
  for (const r of previous.relayTests ?? []) if (!probes.has(probeKey(r.host, r.port))) out.push({ kind: 'relay', result: r });
  for (const r of previous.ptr) if (!ptrs.has(r.address)) out.push({ kind: 'ptr', result: r });
  for (const d of previous.outbound25) if (!probes.has(probeKey(d.host, 25))) out.push({ kind: 'outbound25', result: d });
  // Mail-authentication results of subjects the re-check does not touch (addresses: when no PTR target is rerun).
  const dkim = new Set((rerun.dkim ?? []).map((t) => dkimKey(t).toLowerCase()));
  for (const a of previous.auth) {
    const rerunning = a.subjectKind === 'domain' ? domains.has(a.subject) : a.subjectKind === 'dkim' ? dkim.has(a.subject.toLowerCase()) : rerun.ptrs.length > 0;
    if (!rerunning) out.push({ kind: 'auth', result: a });
  }
  return out;
}

const sameLocation = (f: Finding, at: ConfigLocation) =>
  f.file === at.file && f.range.start.line === at.range.start.line && f.range.start.character === at.range.start.character && f.range.end.line === at.range.end.line && f.range.end.character === at.range.end.character;

/** The earlier report with the results of a re-check in place of what it checked again. */
export function mergeReports(previous: LiveCheckReport, next: LiveCheckReport, rerun: LiveTargets): LiveCheckReport {
  const smtpAt = rerun.probes.flatMap((t) => t.locations);
  const dnsAt = [...rerun.domains, ...rerun.ptrs, ...(rerun.dkim ?? [])].flatMap((t) => t.locations);
  const stale = (f: Finding) => (f.ruleId.startsWith('smtp/') ? smtpAt : dnsAt).some((at) => sameLocation(f, at));
  return {
    probes: byKey(previous.probes, (p) => probeKey(p.host, p.port), next.probes),
    mx: byKey(previous.mx, (m) => m.domain, next.mx),
    ptr: byKey(previous.ptr, (r) => r.address, next.ptr),
    outbound25: byKey(previous.outbound25, (d) => d.host.toLowerCase(), next.outbound25),
    auth: byKey(previous.auth, (a) => `${a.check}:${a.subject.toLowerCase()}`, next.auth),
    findings: [...previous.findings.filter((f) => !stale(f) && !(next.resolver && f.ruleId === 'dns/resolver-unreachable')), ...next.findings],
    incomplete: next.incomplete,
    tlsScans: byKey(previous.tlsScans ?? [], (r) => probeKey(r.host, r.port), next.tlsScans ?? []),
    relayTests: byKey(previous.relayTests ?? [], (r) => probeKey(r.host, r.port), next.relayTests ?? []),
    ...((next.resolver ?? previous.resolver) ? { resolver: next.resolver ?? previous.resolver } : {}),
  };
}

/**
 * The targets of earlier runs that configs still name: a location in a file that no longer names its target
 * goes, and a target left without locations with it (targets checked by hand, with none, stay). `now` is
 * what the configs name today. Undefined when nothing changed.
 */
export function prunedTargets(targets: LiveTargets, now: LiveTargets): LiveTargets | undefined {
  const namedIn = (keys: Iterable<[string, readonly ConfigLocation[]]>) => {
    const map = new Map<string, Set<string>>();
    for (const [k, locations] of keys) map.set(k, new Set(locations.map((l) => l.file)));
    return map;
  };
  const probes = namedIn(now.probes.map((p) => [probeKey(p.host, p.port), p.locations]));
  const domains = namedIn(now.domains.map((d) => [d.domain, d.locations]));
  const ptrs = namedIn(now.ptrs.map((p) => [p.hostOrAddress, p.locations]));
  const dkim = namedIn((now.dkim ?? []).map((k) => [dkimKey(k), k.locations]));
  let changed = false;
  const keep = <T extends { locations: readonly ConfigLocation[] }>(items: readonly T[], key: (t: T) => string, named: Map<string, Set<string>>): T[] =>
    items.flatMap((item) => {
      if (!item.locations.length) return [item];
      const files = named.get(key(item));
      const locations = item.locations.filter((l) => files?.has(l.file));
      if (locations.length === item.locations.length) return [item];
      changed = true;
      return locations.length ? [{ ...item, locations }] : [];
    });
  const next: LiveTargets = {
    probes: keep(targets.probes, (p) => probeKey(p.host, p.port), probes),
    domains: keep(targets.domains, (d) => d.domain, domains),
    ptrs: keep(targets.ptrs, (p) => p.hostOrAddress, ptrs),
    dkim: keep(targets.dkim ?? [], dkimKey, dkim),
  };
  return changed ? next : undefined;
}
