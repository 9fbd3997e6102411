// Every live check, once: the runner, the reports, the Results tree and the rule catalogue read this list.
// An entry is a small descriptor (rules included), a loader and how a run runs it; a check's code loads only
// when a run has a subject for it. The runner (liveRun.ts) starts them in dependsOn order and names none.
// A mail-authentication check (and any new check) declares its rules in its own file; its entry reads them
// from the table generated from those files (liveCheckRules.generated.ts), so this list does not load the
// checks' code. The other checks' entries name their rules from liveRules.ts and serverRules.ts, which the
// probe code and the Results-tree row builders share.
import type { RuleMeta } from '../model';
import type { AuthLiveCheck, LiveCheck, LiveCheckId } from './liveCheck';
import type { AuthCheck } from './mailAuth/types';
import { LIVE_RULES } from './liveRules';
import { SERVER_RULES } from './serverRules';
import { LIVE_CHECK_RULES } from './liveCheckRules.generated';
import type { LiveCheckRuleTable } from './liveCheckRuleTable';

const R = LIVE_RULES;

/** The rules check `id` declares in its own file, from the generated table (a test passes one with its own checks). */
export const declaredRules = (id: LiveCheckId, ruleTable: LiveCheckRuleTable = LIVE_CHECK_RULES): readonly RuleMeta[] => ruleTable[id] ?? [];

export const RESOLVER_CHECK: LiveCheck<typeof import('./dnsChecks')> = {
  id: 'resolver',
  label: 'DNS servers',
  subject: 'dns-servers',
  dependsOn: [],
  // dns/lookup-failed is reported by every DNS check whose own lookup fails.
  rules: [R.lookupFailed, R.resolverUnreachable],
  results: ['resolver'],
  load: () => import('./dnsChecks'),
  run: (run) => import('./resolverCheck').then((m) => m.runResolverCheck(run)),
};

export const SMTP_PORT_CHECK: LiveCheck<typeof import('./smtpProbe')> = {
  id: 'smtp-port',
  label: 'SMTP port',
  subject: 'endpoint',
  dependsOn: ['resolver'],
  rules: [
    R.portRefused, R.portTimeout, R.noGreeting, R.tlsModeMismatch, R.badGreeting, R.starttlsMissing, R.starttlsFailed, R.authBeforeTls,
    R.certExpired, R.certExpiring, R.certHostnameMismatch, R.certUntrusted, R.tlsWeakVersion,
  ],
  results: ['probe'],
  load: () => import('./smtpProbe'),
  run: (run) => import('./smtpPortCheck').then((m) => m.runSmtpPortCheck(run)),
};

/** The TLS version and cipher scan of a server the probe found speaking TLS (run by serverChecks.ts). */
export const TLS_SCAN_CHECK: LiveCheck<typeof import('./tlsScan')> = {
  id: 'tls-scan',
  label: 'TLS versions and ciphers',
  subject: 'endpoint',
  dependsOn: ['smtp-port'],
  // smtp/tls-weak-version is the probe's rule; the scan reports it too.
  rules: [SERVER_RULES.tlsWeakCipher],
  results: ['tls-scan'],
  load: () => import('./tlsScan'),
  run: (run) => import('./tlsScanCheck').then((m) => m.runTlsScanCheck(run)),
};

/** The open-relay test of a server the probe found answering (run by serverChecks.ts, when asked for). */
export const RELAY_TEST_CHECK: LiveCheck<typeof import('./relayTest')> = {
  id: 'relay-test',
  label: 'Open relay',
  subject: 'endpoint',
  dependsOn: ['smtp-port'],
  rules: [SERVER_RULES.openRelay],
  results: ['relay'],
  load: () => import('./relayTest'),
  run: (run) => import('./relayTestCheck').then((m) => m.runRelayTestCheck(run)),
};

export const OUTBOUND_25_CHECK: LiveCheck<typeof import('./outbound25')> = {
  id: 'outbound-25',
  label: 'Outbound port 25',
  subject: 'network',
  dependsOn: ['smtp-port'],
  rules: [R.outbound25Blocked],
  results: ['outbound25'],
  load: () => import('./outbound25'),
  run: (run) => import('./outbound25Check').then((m) => m.runOutbound25Check(run)),
};

export const MX_CHECK: LiveCheck<typeof import('./mxCheck')> = {
  id: 'mx',
  label: 'MX',
  subject: 'domain',
  dependsOn: ['resolver'],
  rules: [R.noMx, R.nullMx, R.mxCname, R.mxIpLiteral, R.mxUnresolvable],
  results: ['mx'],
  load: () => import('./mxCheck'),
  run: (run) => import('./mxCheck').then((m) => m.runMxCheck(run)),
};

export const MX_HOST_CHECK: LiveCheck<typeof import('./mxProbe')> = {
  id: 'mx-host',
  label: 'MX host',
  subject: 'mx-host',
  // Probes port 25 of each MX host (the smtp-port rules) and checks its reverse DNS (the ptr rules); a
  // domain's MTA-STS mode decides how much a certificate problem matters.
  dependsOn: ['mx', 'mta-sts'],
  uses: ['smtp-port', 'ptr', 'outbound-25', 'tls-scan', 'relay-test'],
  rules: [],
  results: ['probe', 'ptr'],
  load: () => import('./mxProbe'),
  run: (run) => import('./mxProbe').then((m) => m.runMxHostCheck(run)),
};

export const PTR_CHECK: LiveCheck<typeof import('./ptrCheck')> = {
  id: 'ptr',
  label: 'PTR',
  subject: 'address',
  dependsOn: ['resolver'],
  rules: [R.noPtr, R.ptrNotConfirmed, R.ptrMismatch],
  results: ['ptr'],
  load: () => import('./ptrCheck'),
  run: (run) => import('./ptrCheck').then((m) => m.runPtrCheck(run)),
};

/**
 * A mail-authentication check's entry: run on its subjects by mailAuthCheck.ts, its code loaded on first need,
 * its rules those its file declares, read from the generated table (a test passes the table of its own checks).
 */
export function authCheck(descriptor: Omit<AuthLiveCheck, 'load' | 'run' | 'results' | 'rules'>, load: () => Promise<AuthCheck>, ruleTable: LiveCheckRuleTable = LIVE_CHECK_RULES): AuthLiveCheck {
  const entry: AuthLiveCheck = { ...descriptor, rules: declaredRules(descriptor.id, ruleTable), results: ['auth'], load, run: (run) => import('./mailAuthCheck').then((m) => m.runAuthCheck(run, entry)) };
  return entry;
}

/** The mail-authentication and reputation checks, in the order the Results tree lists them under a subject. */
export const AUTH_LIVE_CHECKS: readonly AuthLiveCheck[] = [
  authCheck({ id: 'spf', label: 'SPF', subject: 'domain', dependsOn: ['mx', 'ptr'] }, () => import('./mailAuth/spf').then((m) => m.spfCheck)),
  authCheck({ id: 'dmarc', label: 'DMARC', subject: 'domain', dependsOn: ['mx'] }, () => import('./mailAuth/dmarc').then((m) => m.dmarcCheck)),
  authCheck({ id: 'mta-sts', label: 'MTA-STS', subject: 'domain', dependsOn: ['mx'] }, () => import('./mailAuth/mtaSts').then((m) => m.MTA_STS_CHECK)),
  authCheck({ id: 'tls-rpt', label: 'TLS-RPT', subject: 'domain', dependsOn: ['mx'] }, () => import('./mailAuth/tlsRpt').then((m) => m.TLS_RPT_CHECK)),
  authCheck({ id: 'dane', label: 'DANE', subject: 'domain', dependsOn: ['mx'] }, () => import('./mailAuth/dane').then((m) => m.daneCheck)),
  authCheck({ id: 'dkim', label: 'DKIM', subject: 'dkim', dependsOn: ['resolver'] }, () => import('./mailAuth/dkim').then((m) => m.dkimCheck)),
  authCheck({ id: 'dnsbl', label: 'DNSBL', subject: 'address', dependsOn: ['ptr'] }, () => import('./mailAuth/dnsbl').then((m) => m.DNSBL_CHECK)),
];

/** The mail-authentication checks of one subject kind (all when none is given), loaded, in registry order. */
export function loadAuthChecks(subject?: AuthLiveCheck['subject']): Promise<AuthCheck[]> {
  return Promise.all(AUTH_LIVE_CHECKS.filter((c) => !subject || c.subject === subject).map((c) => c.load()));
}

/** Every live check; the rule catalogue (docs tables, `rules`) lists their rules in this order. */
export const LIVE_CHECKS: readonly LiveCheck[] = [
  SMTP_PORT_CHECK, OUTBOUND_25_CHECK, MX_CHECK, MX_HOST_CHECK, PTR_CHECK, RESOLVER_CHECK, RELAY_TEST_CHECK, TLS_SCAN_CHECK, ...AUTH_LIVE_CHECKS,
];

const byId = new Map<LiveCheckId, LiveCheck>(LIVE_CHECKS.map((c) => [c.id, c]));

export function liveCheck(id: LiveCheckId): LiveCheck {
  const check = byId.get(id);
  if (!check) throw new Error(`no live check "${id}"`);
  return check;
}

export const liveCheckLabel = (id: LiveCheckId): string => liveCheck(id).label;

/** Every live rule, each once, in the order of the checks that declare them. */
export const LIVE_CHECK_RULE_METAS: readonly RuleMeta[] = LIVE_CHECKS.flatMap((c) => c.rules);

let ruleById: Map<string, RuleMeta> | undefined;
export function liveRuleMetaById(id: string): RuleMeta | undefined {
  ruleById ??= new Map(LIVE_CHECK_RULE_METAS.map((m) => [m.id, m]));
  return ruleById.get(id);
}
