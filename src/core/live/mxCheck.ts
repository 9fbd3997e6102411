// The MX lookup of every domain the configs name, once the DNS servers answered; the domain's MX answer is
// what its MX-host probes and its mail-authentication checks (SPF, DMARC, MTA-STS, TLS-RPT, DANE) build on.
import { checkMx } from './dnsChecks';
import { type CheckRun, domainSubject } from './liveCheck';
import { mxFindings } from './liveFindings';
import { dnsAnswers } from './resolverCheck';

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
