// The results panel as data: config files → endpoints / domains / addresses → checks, each with a state,
// a one-line description and a Markdown tooltip of evidence. Pure: the VS Code tree only draws this.
// Only hosts, ports, banners, EHLO keywords, certificates and DNS answers are shown; free text goes
// through redactText, and credentials are never read from the endpoint at all. The rows under a target are
// what the registry's checks of its subject kind contribute (checkRows.ts); this file places the targets
// under the files and lines that name them.
import { isIP } from 'net';
import type { Endpoint, EndpointSecurity, Finding, Range, RuleSeverityOverrides } from '../model';
import { dnsErrorWords } from '../live/dnsChecks';
import type { MxHost } from '../live/dnsTypes';
import type { LiveResult } from '../live/liveChecks';
import type { LiveResultKind } from '../live/liveCheck';
import { AUTH_LIVE_CHECKS } from '../live/liveCheckRegistry';
import type { ConfigLocation, ProbeContext } from '../live/liveFindings';
import { type DkimKeyTarget, type DomainTarget, type LiveTargets, type ProbeTarget, type PtrTarget, endpointRole, endpointTlsModeSetting, roleOfPort } from '../live/liveTargets';
import { needsDns } from '../live/dnsChecks';
import { mtaStsModeOf } from '../live/mailAuth/mtaSts';
import { securityLabel } from './endpointLabels';
import { type LiveIndex, authKey, hostKey, indexResults, probeKey } from './liveResultIndex';
import { type Port25, mxPtrChecks } from './mxHostRow';
import { probeChecks, probeSummary, timingsText } from './probeRows';
import { type ResultNode, type ResultsFilter, checkNodes } from './resultNode';
import { filtered, masked } from './resultsFilter';
import { serverExtraChecks } from './tlsScanAndRelayRows';
import { type NodeState, NOWHERE, lines, mdCode, mdText, oneLine, para, plural, stateOfSeverity, worstState } from './treeRows';
import { subjectRows, subjectSections } from './checkRows';

export { type NodeState, STATE_MARK_PATTERN, mdBlock, mdCode, mdText, stateMark, stateOfSeverity, worstState } from './treeRows';
export { type NodeKind, type NoticeAction, type ResultNode, type ResultSnapshot, type ResultsFilter, snapshotOf } from './resultNode';

export interface LiveInput {
  /** A run is under way: targets without a result yet show as running. */
  readonly running: boolean;
  /** What the last (or current) run checks; undefined before any run. */
  readonly targets?: LiveTargets;
  /** Results of the last (or current) run, in arrival order. */
  readonly results: readonly LiveResult[];
  /** Live findings as the diagnostics show them (counted in file descriptions and the badge). */
  readonly findings: readonly Finding[];
  /** Files edited since the run: their results may describe lines that no longer say that. */
  readonly staleFiles?: ReadonlySet<string>;
}

export interface ResultsInput {
  /** Every file with static results (with or without findings), and its static findings. */
  readonly files: ReadonlyMap<string, readonly Finding[]>;
  /** Endpoints the static pass found (Postfix relayhost, application transports). */
  readonly endpoints: readonly Endpoint[];
  readonly live?: LiveInput;
  /** Why live checks cannot run here (e.g. an untrusted workspace); shown as a notice and on unchecked targets. */
  readonly liveDisabledReason?: string;
  /** Per-rule severity overrides, so check states agree with the Problems view. */
  readonly overrides?: RuleSeverityOverrides;
  /** How a file is named in the tree (e.g. workspace-relative). */
  readonly displayPath?: (file: string) => string;
  /** Where DNS servers are set, named in the notice when they do not answer (default smtpDoctor.dnsServers). */
  readonly dnsSetting?: string;
  readonly filter?: ResultsFilter;
}

export interface ResultsTree {
  readonly roots: readonly ResultNode[];
  /** Error and warning findings, static and live: the badge number. */
  readonly problems: number;
  /** Whether anything was found or checked (chooses the welcome view). */
  readonly hasResults: boolean;
}

const isProblem = (f: Finding) => f.severity === 'error' || f.severity === 'warning';
const lineOf = (r: Range) => r.start.line + 1;
/** The bucket of targets no config names. */
const UNLOCATED = '';
/** How many checks of the registry run on one subject of the kind (a node shows as running until each reported). */
const checksOfSubject = (kind: string) => AUTH_LIVE_CHECKS.filter((c) => c.subject === kind).length;

/** What a file node holds before it becomes nodes. */
interface TargetEntry {
  readonly kind: 'endpoint' | 'domain' | 'address';
  readonly key: string;
  /** Undefined for a host checked by hand. */
  readonly location?: ConfigLocation;
  /** Sort key inside the file. */
  readonly line: number;
  readonly build: (fileId: string, file: string) => ResultNode;
}

/** What every target's node needs to know about the run: its results, and what to say where one is missing. */
interface TreeContext {
  readonly input: ResultsInput;
  readonly overrides: RuleSeverityOverrides;
  readonly displayPath: (file: string) => string;
  readonly live: LiveInput | undefined;
  readonly index: LiveIndex;
  /** Whether the file was edited since the run (its results may describe lines that no longer say that). */
  readonly isStale: (file: string) => boolean;
  /** What a target without a result says, and its state (`dns`: the target needs the DNS servers). */
  readonly pending: (file: string, dns?: boolean) => { state: NodeState; text: string };
  /** The run's target for host:port, if it probed one. */
  readonly probeTarget: (host: string, port: number) => ProbeTarget | undefined;
}

function treeContext(input: ResultsInput): TreeContext {
  const live = input.live;
  const index = indexResults(live?.results ?? []);
  const ran = !!live && (live.running || live.results.length > 0 || !!live.targets);
  const isStale = (file: string) => !!live?.staleFiles?.has(file);
  const resolverDead = index.resolver?.status === 'dead';
  const pending = (file: string, dns = true): { state: NodeState; text: string } =>
    dns && resolverDead && !isStale(file)
      ? { state: 'skipped', text: 'not checked: the DNS server does not answer' }
      : live?.running && !isStale(file)
      ? { state: 'running', text: 'checking…' }
      : input.liveDisabledReason
        ? { state: 'skipped', text: `not checked · ${input.liveDisabledReason}` }
        : isStale(file)
          ? { state: 'skipped', text: 'changed since the last check' }
          : { state: 'skipped', text: ran ? 'not checked in the last run' : 'not checked yet' };
  const probeTarget = (host: string, port: number) => live?.targets?.probes.find((t) => probeKey(t.host, t.port) === probeKey(host, port));
  return { input, overrides: input.overrides ?? {}, displayPath: input.displayPath ?? ((f: string) => f), live, index, isStale, pending, probeTarget };
}

/**
 * What the line that named a host expects of it — TLS mode, role, the option that sets the mode — as the
 * live run saw it (so states agree with the Problems view), else from the endpoint itself.
 */
function expectations(ctx: TreeContext, host: string, port: number, security: EndpointSecurity | undefined, location: ConfigLocation | undefined, endpoint?: Endpoint): { security: EndpointSecurity | undefined; context: ProbeContext } {
  const target = ctx.probeTarget(host, port);
  const at = location && target?.locations.find((l) => l.file === location.file && l.range.start.line === location.range.start.line && l.range.start.character === location.range.start.character);
  if (target && at) return { security: at.tlsMode ? at.security : target.security, context: { role: at.role ?? target.role, tlsMode: at.tlsMode, certificatePolicy: target.certificatePolicy } };
  if (endpoint) return { security: endpoint.security, context: { role: endpointRole(endpoint), tlsMode: endpointTlsModeSetting(endpoint), certificatePolicy: target?.certificatePolicy } };
  return { security, context: { role: target?.role, certificatePolicy: target?.certificatePolicy } };
}

/** An endpoint's place in a file: a static one (fresh location) or a live target (also the Postfix server's own ports). */
function endpointEntry(ctx: TreeContext, host: string | undefined, port: number | undefined, security: EndpointSecurity | undefined, location: ConfigLocation | undefined, endpoint?: Endpoint): TargetEntry {
  const key = host && port ? probeKey(host, port) : `unresolved:${location ? `${lineOf(location.range)}:${location.range.start.character}` : ''}`;
  return { kind: 'endpoint', key, location, line: location?.range.start.line ?? 0, build: (fileId, file) => endpointNode(ctx, `${fileId}/endpoint:${key}`, file, host, port, security, location, endpoint) };
}

function endpointNode(ctx: TreeContext, id: string, file: string, host: string | undefined, port: number | undefined, security: EndpointSecurity | undefined, location: ConfigLocation | undefined, endpoint: Endpoint | undefined): ResultNode {
  const { index } = ctx;
  const label = `${host ?? '(host not resolved)'}:${port ?? '?'}`;
  const mode = securityLabel(security, port);
  const where = para(
    `**${mdText(label)}** — ${mdText(mode)}`,
    lines(
      endpoint && `Defined by: ${mdText(endpoint.sourceLabel)}, line ${lineOf(endpoint.range)}`,
      !endpoint && (location ? `Named on line ${lineOf(location.range)}` : 'Checked by hand: no config names it'),
      endpoint?.authPresent && 'Authentication: configured (credentials not shown)',
      ...Object.entries(endpoint?.envOrigins ?? {}).map(([option, o]) => `${mdText(option)} from ${mdCode(o.variable)}${o.file ? ` (${mdText(ctx.displayPath(o.file))}, line ${o.range ? lineOf(o.range) : '?'})` : ''}`),
    ),
  );
  if (!host || !port) {
    return { id, kind: 'endpoint', label, description: `${mode} · host or port not resolved`, tooltip: para(where, 'The host or port comes from a value SMTP Doctor could not resolve, so it cannot be checked.'), state: 'skipped', location, children: [] };
  }
  const login = endpoint?.authPresent ? { login: true } : {};
  const result = ctx.isStale(file) ? undefined : index.probes.get(probeKey(host, port));
  if (!result) {
    const p = ctx.pending(file, needsDns(host));
    return { id, kind: 'endpoint', ...login, label, description: `${mode} · ${p.text}`, tooltip: para(where, mdText(p.text)), state: p.state, location, host, port, children: [] };
  }
  const outbound = port === 25 ? index.outbound.get(hostKey(host)) : undefined;
  const expected = expectations(ctx, host, port, security, location, endpoint);
  const server = ctx.probeTarget(host, port)?.locations.find((l) => l.server)?.server;
  const checks = subjectRows('endpoint', {
    index,
    overrides: ctx.overrides,
    endpoint: { host, port, probe: result, security: expected.security, context: expected.context, outbound, at: location ?? NOWHERE, role: expected.context.role ?? roleOfPort(port), server },
  });
  const summary = probeSummary(result, outbound);
  return {
    id,
    kind: 'endpoint',
    ...login,
    label,
    description: summary,
    tooltip: para(where, `Result: ${mdText(summary)}`, `Timings: ${timingsText(result.timings)}`),
    state: worstState(checks.map((c) => c.state)),
    location,
    host,
    port,
    children: checkNodes(id, checks, location),
  };
}

/** An MX host's port-25 result as its rows (probe, scan and relay test, reverse DNS), when the run probed it. */
function mxPort25(ctx: TreeContext, d: DomainTarget, enforce: boolean): (h: MxHost) => Port25 | undefined {
  const { index, overrides } = ctx;
  return (h) => {
    const host = hostKey(h.exchange);
    const probe = index.mxProbes.get(host) ?? index.probes.get(probeKey(host, 25));
    if (!probe) return undefined;
    const key = probeKey(probe.host, probe.port);
    const server = ctx.probeTarget(probe.host, probe.port)?.locations.find((l) => l.server)?.server;
    const context: ProbeContext = { role: 'mx', policyChecked: true, ...(enforce ? { certificatePolicy: 'mta-sts' as const } : {}) };
    const outbound = index.outbound.get(host);
    return {
      summary: probeSummary(probe, outbound),
      port: probe.port,
      checks: [
        ...probeChecks(probe, undefined, context, outbound, overrides, NOWHERE),
        ...serverExtraChecks(index.tlsScans.get(key), index.relays.get(key), { role: 'mx', owned: !d.relay }, server, overrides),
        ...mxPtrChecks(index.mxPtrs.get(host), host, overrides),
      ],
    };
  };
}

/** A domain's node: its MX records (each MX host with its port-25 checks), then the checks of the domain. */
function domainEntry(ctx: TreeContext, d: DomainTarget, at: ConfigLocation): TargetEntry {
  const key = hostKey(d.domain);
  return { kind: 'domain', key, location: at, line: at.range.start.line, build: (fileId, file) => {
    const id = `${fileId}/domain:${key}`;
    const head = `**${mdText(d.domain)}** — MX records, named on line ${lineOf(at.range)}`;
    const result = ctx.isStale(file) ? undefined : ctx.index.mx.get(key);
    if (!result) {
      const p = ctx.pending(file);
      return { id, kind: 'domain', label: d.domain, description: `MX · ${p.text}`, tooltip: para(head, mdText(p.text)), state: p.state, location: at, file: at.file, children: [] };
    }
    const enforce = (ctx.index.auth.get(authKey('domain', d.domain)) ?? []).some((a) => mtaStsModeOf(a) === 'enforce');
    // The MX records (each MX host with its port-25 rows), then SPF, DMARC, MTA-STS, TLS-RPT and DANE of the domain.
    const sections = subjectSections('domain', { index: ctx.index, overrides: ctx.overrides, domain: { name: d.domain, mx: result, port25: mxPort25(ctx, d, enforce) } });
    const section = (kind: LiveResultKind) => sections.find((x) => x.kind === kind)?.rows ?? [];
    const mxOnly = section('mx');
    const auth = section('auth');
    const checks = sections.flatMap((x) => x.rows);
    const hosts = result.hosts.map((h) => `${h.priority} ${h.exchange}`).join(', ');
    const authProblems = auth.filter((c) => c.state === 'error' || c.state === 'warning').map((c) => c.name);
    // A domain shows as running until every domain check of the run has reported.
    const unfinished = ctx.live?.running && auth.length < checksOfSubject('domain') ? ['running' as const] : [];
    return {
      id,
      kind: 'domain',
      label: d.domain,
      description: `MX · ${result.status === 'ok' ? hosts : mxOnly[0].description}${authProblems.length ? ` · check ${authProblems.join(', ')}` : ''}`,
      tooltip: para(head, mxOnly[0].tooltip),
      state: worstState([...checks.map((c) => c.state), ...unfinished]),
      location: at,
      file: at.file,
      children: checkNodes(id, checks, at),
    };
  } };
}

/** A server address's node (or the name it resolves from): its reverse DNS, then the checks of each public address found. */
function addressEntry(ctx: TreeContext, t: PtrTarget, at: ConfigLocation, ipTargets: ReadonlySet<string>): TargetEntry {
  const key = hostKey(t.hostOrAddress);
  return { kind: 'address', key, location: at, line: at.range.start.line, build: (fileId, file) => {
    const id = `${fileId}/address:${key}`;
    const head = lines(`**${mdText(t.hostOrAddress)}** — reverse DNS (PTR), named on line ${lineOf(at.range)}`, t.expectedName && `Expected name: ${mdCode(t.expectedName)}`);
    const { index, live } = ctx;
    // A name's addresses are looked up during the run; its PTR results are those not of an address target.
    const results = ctx.isStale(file)
      ? []
      : isIP(t.hostOrAddress)
        ? index.ptr.filter((r) => r.address === t.hostOrAddress)
        : index.ptr.filter((r) => !ipTargets.has(r.address) && (r.expectedName ?? '') === (t.expectedName ?? ''));
    if (!results.length) {
      const finished = !!live?.targets && !live.running && !ctx.isStale(file) && !ctx.input.liveDisabledReason;
      const p = finished ? { state: 'skipped' as const, text: 'no address found to check' } : ctx.pending(file);
      return { id, kind: 'address', label: t.hostOrAddress, description: `PTR · ${p.text}`, tooltip: para(head, mdText(p.text)), state: p.state, location: at, file: at.file, children: [] };
    }
    // Blocklist results of each public address found, after its reverse DNS.
    const checks = subjectRows('address', { index, overrides: ctx.overrides, ptr: results });
    return {
      id,
      kind: 'address',
      label: t.hostOrAddress,
      description: `PTR · ${checks.map((c) => c.description).join('; ')}`,
      tooltip: para(head, ...checks.map((c) => c.tooltip)),
      state: worstState([...checks.map((c) => c.state), ...(live?.running ? ['running' as const] : [])]),
      location: at,
      file: at.file,
      children: checkNodes(id, checks, at),
    };
  } };
}

/** A DKIM key's node: the checks of `selector._domainkey.domain`. */
function dkimEntry(ctx: TreeContext, k: DkimKeyTarget, at: ConfigLocation): TargetEntry {
  const subject = `${k.selector}._domainkey.${k.domain}`;
  return { kind: 'domain', key: `dkim:${hostKey(subject)}`, location: at, line: at.range.start.line, build: (fileId, file) => {
    const id = `${fileId}/dkim:${hostKey(subject)}`;
    const head = `**${mdText(subject)}** — DKIM key, named on line ${lineOf(at.range)}`;
    const results = ctx.isStale(file) ? [] : ctx.index.auth.get(authKey('dkim', subject)) ?? [];
    if (!results.length) {
      const p = ctx.pending(file);
      return { id, kind: 'domain', label: subject, description: `DKIM · ${p.text}`, tooltip: para(head, mdText(p.text)), state: p.state, location: at, file: at.file, children: [] };
    }
    const checks = subjectRows('dkim', { index: ctx.index, overrides: ctx.overrides, dkimKey: subject });
    return {
      id,
      kind: 'domain',
      label: subject,
      description: `DKIM · ${checks.map((c) => c.description).join('; ')}`,
      tooltip: para(head, ...checks.map((c) => c.tooltip)),
      state: worstState(checks.map((c) => c.state)),
      location: at,
      file: at.file,
      children: checkNodes(id, checks, at),
    };
  } };
}

/** Every target's entry, by the file that names it (UNLOCATED: none), each target once per file. */
function targetEntries(ctx: TreeContext): Map<string, Map<string, TargetEntry>> {
  const entriesByFile = new Map<string, Map<string, TargetEntry>>();
  const entry = (e: TargetEntry) => {
    const file = e.location?.file ?? UNLOCATED;
    const byKey = entriesByFile.get(file) ?? new Map<string, TargetEntry>();
    entriesByFile.set(file, byKey);
    if (!byKey.has(`${e.kind}:${e.key}`)) byKey.set(`${e.kind}:${e.key}`, e);
  };
  for (const e of ctx.input.endpoints) entry(endpointEntry(ctx, e.host, e.port, e.security, { file: e.file, range: e.range }, e));
  const targets = ctx.live?.targets;
  for (const t of targets?.probes ?? []) {
    for (const at of t.locations) entry(endpointEntry(ctx, t.host, t.port, t.security, at));
    if (!t.locations.length) entry(endpointEntry(ctx, t.host, t.port, t.security, undefined));
  }
  for (const d of targets?.domains ?? []) for (const at of d.locations) entry(domainEntry(ctx, d, at));
  const ipTargets = new Set((targets?.ptrs ?? []).filter((t) => isIP(t.hostOrAddress)).map((t) => t.hostOrAddress));
  for (const t of targets?.ptrs ?? []) for (const at of t.locations) entry(addressEntry(ctx, t, at, ipTargets));
  for (const k of targets?.dkim ?? []) for (const at of k.locations) entry(dkimEntry(ctx, k, at));
  return entriesByFile;
}

/** A file's static findings, folded into one node under its live results (the Problems panel lists them too). */
function problemsNode(ctx: TreeContext, fileId: string, file: string): ResultNode | undefined {
  const staticFindings = [...(ctx.input.files.get(file) ?? [])].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const findingNodes = staticFindings.map((f, i): ResultNode => ({
    id: `${fileId}/finding:${f.ruleId}:${lineOf(f.range)}:${f.range.start.character}:${i}`,
    kind: 'finding',
    label: oneLine(f.message, 200),
    description: `${f.ruleId} · line ${lineOf(f.range)}`,
    tooltip: para(`**${f.severity}** ${mdCode(f.ruleId)} — line ${lineOf(f.range)}`, mdText(f.message), f.details ? mdText(f.details) : undefined, f.fixes?.length ? `Quick fix: ${mdText(f.fixes.map((x) => x.title).join('; '))}` : undefined),
    state: stateOfSeverity(f.severity),
    location: { file: f.file, range: f.range },
    ruleIds: [f.ruleId],
    children: [],
  }));
  if (!findingNodes.length) return undefined;
  return {
    id: `${fileId}/problems`,
    kind: 'problems',
    label: 'Problems',
    description: `${plural(findingNodes.length, 'finding')} · also in the Problems panel`,
    tooltip: para(`**Problems in ${mdText(ctx.displayPath(file))}**`, 'The static findings of this file, as the Problems panel lists them.'),
    state: worstState(findingNodes.map((n) => n.state)),
    file,
    children: findingNodes,
  };
}

/** A config file's node: its targets by line, then its static findings; `problems` counts its errors and warnings. */
function fileNode(ctx: TreeContext, file: string, entries: Iterable<TargetEntry>, liveFindings: readonly Finding[]): { node: ResultNode; problems: number } {
  const fileId = `file:${file}`;
  const shown = ctx.displayPath(file);
  const targetNodes = [...entries].sort((a, b) => a.line - b.line).map((e) => e.build(fileId, file));
  const all = [...(ctx.input.files.get(file) ?? []), ...liveFindings];
  const errors = all.filter((f) => f.severity === 'error').length;
  const warnings = all.filter((f) => f.severity === 'warning').length;
  const counts = [errors && plural(errors, 'error'), warnings && plural(warnings, 'warning')].filter(Boolean).join(' · ') || 'no problems';
  const targetsCount = targetNodes.length ? plural(targetNodes.length, 'server') : undefined;
  const folded = problemsNode(ctx, fileId, file);
  const children = [...targetNodes, ...(folded ? [folded] : [])];
  const childStates = children.map((c) => c.state).filter((s) => s !== 'skipped');
  const node: ResultNode = {
    id: fileId,
    kind: 'file',
    label: shown,
    description: [counts, targetsCount].filter(Boolean).join(' · '),
    tooltip: para(`**${mdText(shown)}**`, lines(mdText(counts), targetsCount && mdText(`${targetsCount}, domains or addresses named here`))),
    state: worstState([...childStates, ...all.filter(isProblem).map((f) => stateOfSeverity(f.severity))], 'pass'),
    location: { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
    file,
    children,
  };
  return { node, problems: errors + warnings };
}

/** Hosts checked by hand (no config names them), as one group. */
function unlocatedGroup(entries: Iterable<TargetEntry>): ResultNode | undefined {
  const unlocated = [...entries].map((e) => e.build('group:unlocated', UNLOCATED));
  if (!unlocated.length) return undefined;
  return {
    id: 'group:unlocated',
    kind: 'group',
    label: 'Checked by hand',
    description: `${plural(unlocated.length, 'server')} no config names`,
    tooltip: para('**Checked by hand**', 'Hosts checked on request (Check SMTP Port) that no config file in the workspace names.'),
    state: worstState(unlocated.map((n) => n.state)),
    children: unlocated,
  };
}

/** The notice that the DNS servers do not answer (every check that needs DNS was skipped). */
function dnsDeadNotice(ctx: TreeContext): ResultNode | undefined {
  const resolver = ctx.index.resolver;
  if (resolver?.status !== 'dead') return undefined;
  const servers = resolver.servers.length ? resolver.servers.join(', ') : 'none found';
  const what = resolver.error === 'ECONNREFUSED' ? 'refused the query' : resolver.error === 'ETIMEOUT' ? 'did not answer' : 'failed';
  const setting = ctx.input.dnsSetting ?? 'smtpDoctor.dnsServers';
  return {
    id: 'notice:dns-dead',
    kind: 'notice',
    label: 'DNS server not answering',
    description: `${servers} ${what} · DNS checks skipped`,
    tooltip: para(
      `**${resolver.configured ? 'DNS server' : "The system's DNS server"} ${mdText(servers)} ${what}**`,
      mdText(`Asked for ${resolver.name}: ${dnsErrorWords(resolver.error)}. Every check that needs DNS was skipped. ${resolver.configured ? 'Fix' : 'Set'} ${setting} (click to open it).`),
    ),
    state: 'warning',
    action: 'dns-settings',
    children: [],
  };
}

function liveDisabledNotice(reason: string): ResultNode {
  return {
    id: 'notice:live-disabled',
    kind: 'notice',
    label: 'Live checks are off',
    description: reason,
    tooltip: para('**Live checks are off**', mdText(`${reason}. Static linting still runs; live checks connect to the hosts the configs name, so they run only in a trusted workspace.`)),
    state: 'info',
    action: 'manage-trust',
    children: [],
  };
}

export function buildResultsTree(input: ResultsInput): ResultsTree {
  const ctx = treeContext(input);
  const entriesByFile = targetEntries(ctx);
  const liveByFile = new Map<string, Finding[]>();
  for (const f of ctx.live?.findings ?? []) liveByFile.set(f.file, [...(liveByFile.get(f.file) ?? []), f]);
  const files = new Set([...input.files.keys(), ...entriesByFile.keys(), ...liveByFile.keys()]);
  files.delete(UNLOCATED);

  const roots: ResultNode[] = [];
  let problems = 0;
  for (const file of [...files].sort((a, b) => ctx.displayPath(a).localeCompare(ctx.displayPath(b)))) {
    const made = fileNode(ctx, file, entriesByFile.get(file)?.values() ?? [], liveByFile.get(file) ?? []);
    roots.push(made.node);
    problems += made.problems;
  }
  // Hosts checked by hand come first: the user just asked about them.
  const unlocated = unlocatedGroup(entriesByFile.get(UNLOCATED)?.values() ?? []);
  if (unlocated) roots.unshift(unlocated);
  const dnsDead = dnsDeadNotice(ctx);
  if (dnsDead) roots.unshift(dnsDead);
  if (roots.length && input.liveDisabledReason) roots.unshift(liveDisabledNotice(input.liveDisabledReason));
  const shown = filtered(roots, input.filter ?? 'all');
  return { roots: masked(shown), problems, hasResults: roots.length > 0 };
}
