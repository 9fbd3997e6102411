// The DNS servers, asked first: when none answers, one finding says so and every check that needs DNS skips
// its subjects, rather than each reporting the same dead resolver on its own line.
import { checkResolver, needsDns, reverseName } from './dnsChecks';
import { isIP } from 'net';
import type { CheckRun } from './liveCheck';
import { resolverFindings } from './liveFindings';

/** What the resolver check provides: whether DNS checks may run. */
export interface ResolverOutcome {
  readonly ok: boolean;
}

/** Whether the run's DNS servers answer (for a check that depends on the resolver check). */
export async function dnsAnswers(run: CheckRun): Promise<boolean> {
  return (await run.need<ResolverOutcome>('resolver'))?.ok === true;
}

export async function runResolverCheck(run: CheckRun): Promise<void> {
  const { targets, options } = run;
  const dnsNames = [
    ...targets.domains.map((d) => d.domain),
    ...targets.ptrs.map((t) => (isIP(t.hostOrAddress) ? reverseName(t.hostOrAddress) ?? t.hostOrAddress : t.hostOrAddress)),
    ...(targets.dkim ?? []).map((k) => `${k.selector}._domainkey.${k.domain}`),
    ...targets.probes.filter((t) => needsDns(t.host)).map((t) => t.host),
  ];
  if (!dnsNames.length) return run.provide('', { ok: true });
  const dnsLocations = [...targets.domains, ...targets.ptrs, ...(targets.dkim ?? []), ...targets.probes.filter((t) => needsDns(t.host))]
    .flatMap((t) => t.locations.map((l) => ({ file: l.file, range: l.range })))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character));
  const r = await run.settle(
    run.group.run(`resolver:${(options.dnsServers ?? []).join(',')}`, (signal) => checkResolver(dnsNames[0], { ...run.dns, signal })),
    () => undefined,
  );
  if (r) {
    run.emit({ kind: 'resolver', result: r });
    if (r.status === 'dead') run.findings.push(...resolverFindings(r, dnsLocations, options.dnsSetting ?? '--dns'));
  }
  run.provide('', { ok: r?.status === 'ok' });
}
