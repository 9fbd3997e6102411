// How a run runs one mail-authentication or reputation check (SPF, DMARC, MTA-STS, TLS-RPT, DANE, DKIM,
// DNSBL): on every subject of its kind — a domain once its MX answer is in, a public server address once the
// PTR checks found it, a DKIM key — under the mail-authentication slots, its problems as findings on every
// line that named the subject. The check's own code (mailAuth/) loads only when a subject needs it.
import { type AuthLiveCheck, type CheckRun, domainSubject } from './liveCheck';
import type { ConfigLocation } from './liveFindings';
import { DEFAULT_DNSBL_ZONES } from './liveReport';
import type { StatedSender } from './liveTargets';
import { authFindings } from './mailAuth/findings';
import type { AuthCheck, AuthCheckResult } from './mailAuth/types';
import type { MxCheckResult } from './dnsTypes';
import { dnsAnswers } from './resolverCheck';


interface AuthSubject {
  readonly subject: string;
  readonly locations: readonly ConfigLocation[];
  readonly mx?: MxCheckResult;
  readonly sender?: StatedSender;
}

/** The subjects of a check's kind, each as soon as what it needs is in (undefined: skipped). */
function subjectsOf(run: CheckRun, entry: AuthLiveCheck): Promise<AuthSubject | undefined>[] | Promise<AuthSubject[]> {
  if (entry.subject === 'domain') {
    return run.targets.domains.map(async (d, i) => {
      const mx = await run.need<MxCheckResult>('mx', domainSubject(i));
      return mx && { subject: d.domain, locations: d.locations, mx, ...(d.sender ? { sender: d.sender } : {}) };
    });
  }
  if (entry.subject === 'address') {
    // Blocklists: each public address once, with every line that led to it.
    return run.need<[string, ConfigLocation[]][]>('ptr', 'public-addresses').then((all) => (all ?? []).map(([subject, locations]) => ({ subject, locations })));
  }
  return (run.targets.dkim ?? []).map(async (k) => ({ subject: `${k.selector}._domainkey.${k.domain}`, locations: k.locations }));
}

export async function runAuthCheck(run: CheckRun, entry: AuthLiveCheck): Promise<void> {
  const injected = run.options.authChecks;
  let checks: Promise<readonly AuthCheck[]> | undefined;
  // Only SPF asks which addresses send; the checks that say so wait for them.
  const sendingAddresses = () => (entry.dependsOn.includes('ptr') ? run.need<string[]>('ptr', 'sending-addresses').then((a) => a ?? []) : Promise.resolve([]));
  const check = async (s: AuthSubject | undefined) => {
    if (!s || !(await dnsAnswers(run))) return;
    checks ??= injected ? Promise.resolve(injected.filter((c) => c.name === entry.id)) : entry.load().then((c) => [c]);
    const [loaded, addresses] = await Promise.all([checks, sendingAddresses()]);
    await Promise.all(loaded.map((c) => runOne(run, c, entry, s, addresses)));
  };
  const subjects = subjectsOf(run, entry);
  await (Array.isArray(subjects) ? Promise.all(subjects.map(async (s) => check(await s))) : subjects.then((all) => Promise.all(all.map(check))));
}

async function runOne(run: CheckRun, check: AuthCheck, entry: AuthLiveCheck, s: AuthSubject, addresses: readonly string[]): Promise<void> {
  const started = Date.now();
  const failed = (error: string): AuthCheckResult => ({ check: check.name, subjectKind: entry.subject, subject: s.subject, summary: `not checked (${error})`, evidence: [], problems: [], error, ms: Date.now() - started });
  let result: AuthCheckResult;
  try {
    result = await run.settle(
      run.authGroup.run(`auth:${check.name}:${s.subject.toLowerCase()}`, (signal) =>
        check.run(s.subject, {
          dns: { ...run.dns, signal },
          scheduler: run.scheduler,
          mx: s.mx,
          sendingAddresses: addresses,
          ...(s.sender ? { sender: s.sender } : {}),
          ca: run.options.ca,
          httpsPort: run.options.httpsPort,
          dnsblZones: run.options.dnsblZones ?? DEFAULT_DNSBL_ZONES,
        }),
      ),
      () => failed('cancelled'),
    );
  } catch (e) {
    // A check that throws is a bug in it: say so on the result rather than lose the run.
    result = failed(`internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
  run.emit({ kind: 'auth', result });
  for (const at of s.locations) run.findings.push(...authFindings(at, result, { label: entry.label, rules: [...entry.rules, ...check.rules] }));
}
