// The MX lookup of every domain the configs name, once the DNS servers answered; the domain's MX answer is
// what its MX-host probes and its mail-authentication checks (SPF, DMARC, MTA-STS, TLS-RPT, DANE) build on.
// checkMx is the lookup itself (DANE asks it too); runMxCheck runs it for the run's domains.
import { monotonicMs } from './builtins';
import { elapsed, ipLiteral, lookupAddresses } from './dnsChecks';
import { dnsQuery } from './dnsRecords';
import type { DnsCheckOptions, MxCheckResult, MxHost, MxRecord } from './dnsTypes';
import { type CheckRun, domainSubject } from './liveCheck';
import { mxFindings } from './liveFindings';
import { dnsAnswers } from './resolverCheck';

/** RFC 7505: exactly one MX, preference 0, exchange "." (which resolvers hand back as ""). */
function isNullMx(records: readonly MxRecord[]): boolean {
  return records.length === 1 && records[0].priority === 0 && isRootName(records[0].exchange);
}

function isRootName(name: string): boolean {
  return name === '' || name === '.';
}

async function checkMxHost(exchange: string, priority: number, options: DnsCheckOptions): Promise<MxHost> {
  if (isRootName(exchange)) return { exchange, priority, addresses: [], isCname: false, isIpLiteral: false, error: 'EBADNAME' };
  if (ipLiteral(exchange)) return { exchange, priority, addresses: [], isCname: false, isIpLiteral: true };
  const [answer, cname] = await Promise.all([lookupAddresses(exchange, options), dnsQuery(exchange, 'CNAME', options)]);
  return {
    exchange,
    priority,
    addresses: answer.addresses,
    isCname: cname.values.length > 0,
    isIpLiteral: false,
    ...(answer.error ? { error: answer.error } : {}),
  };
}

/**
 * Where mail for `domain` goes: its MX records by preference, each exchange's addresses and faults (alias,
 * IP literal, no address); a null MX; or, with no MX at all, the domain's own addresses.
 */
export async function checkMx(domain: string, options: DnsCheckOptions = {}): Promise<MxCheckResult> {
  const start = monotonicMs();
  const failed = (error: string): MxCheckResult => ({ domain, status: 'lookup-failed', hosts: [], error, ms: elapsed(start) });

  const mx = await dnsQuery(domain, 'MX', options);
  if (mx.negative === 'ENOTFOUND') return { domain, status: 'no-mx', hosts: [], fallbackAddresses: [], error: 'ENOTFOUND', ms: elapsed(start) };
  if (mx.negative === 'ENODATA' || (mx.error === undefined && mx.values.length === 0)) {
    const fallback = await lookupAddresses(domain, options);
    if (fallback.error === 'ECANCELLED') return failed('ECANCELLED');
    const error = fallback.error && fallback.error !== 'ENODATA' ? { error: fallback.error } : {};
    return { domain, status: 'no-mx', hosts: [], fallbackAddresses: fallback.addresses, ...error, ms: elapsed(start) };
  }
  if (mx.error !== undefined) return failed(mx.error);
  if (isNullMx(mx.values)) return { domain, status: 'null-mx', hosts: [], ms: elapsed(start) };

  const records = [...mx.values].sort((a, b) => a.priority - b.priority || (a.exchange < b.exchange ? -1 : a.exchange > b.exchange ? 1 : 0));
  const hosts = await Promise.all(records.map((m) => checkMxHost(m.exchange, m.priority, options)));
  if (options.signal?.aborted) return failed('ECANCELLED');
  return { domain, status: 'ok', hosts, ms: elapsed(start) };
}

export async function runMxCheck(run: CheckRun): Promise<void> {
  await Promise.all(
    run.targets.domains.map(async (d, i) => {
      const subject = domainSubject(i);
      if (!(await dnsAnswers(run))) return run.provide(subject, undefined);
      const result = await run.settle(run.group.run(`mx:${d.domain}`, (signal) => checkMx(d.domain, { ...run.dns, signal })), () => ({ domain: d.domain, status: 'lookup-failed' as const, hosts: [], error: 'cancelled', ms: 0 }));
      run.emit({ kind: 'mx', result });
      for (const at of d.locations) run.findings.push(...mxFindings(at, result));
      run.provide(subject, result);
    }),
  );
}
