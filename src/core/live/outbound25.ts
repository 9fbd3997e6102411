// "Is port 25 blocked by my network?" When a host's port 25 times out, compare with the same host's
// submission ports and with port 25 on independent, always-on MX hosts: the pattern of answers tells a
// network that blocks outbound 25 apart from a host that is filtered or down.
// `decideOutbound25` is the pure decision over probe results; `diagnoseOutbound25` gathers the missing
// probes with an injected probe function and then decides.

import { watchAbort } from './abortWatch';
import type { ProbeStatus, SmtpProbeResult } from './probeTypes';

/**
 * Large, independent, always-on MX hosts of different operators, used only as reference points for port 25.
 * Data only: nothing probes them unless a caller asks for a live diagnosis without its own list.
 */
export const DEFAULT_REFERENCE_MX_HOSTS: readonly string[] = [
  'gmail-smtp-in.l.google.com',
  'hotmail-com.olc.protection.outlook.com',
  'mta5.am0.yahoodns.net',
  'mx01.mail.icloud.com',
];

/** Ports probed on the same host to show that it, and the path to it, are alive. */
export const DEFAULT_SUBMISSION_PORTS: readonly number[] = [587, 465];

/** How many reference hosts must be silent on 25 before we blame the local network. */
export const MIN_SILENT_REFERENCES = 2;

export type Outbound25Verdict =
  /** Port 25 is silent here and on the reference MX hosts, while other ports connect: the local network blocks 25. */
  | 'network-blocks-25'
  /** Reference MX hosts answer on 25 but this host does not: its firewall drops 25, or its MTA host is down. */
  | 'host-filtered'
  /** Nothing on this host answers, not 25 and not the submission ports, while the network itself works. */
  | 'host-down'
  /** The probes do not allow a conclusion; `missing` says what would. */
  | 'inconclusive'
  /** This host answered on 25: nothing on the path blocks it. */
  | 'not-blocked';

export type EvidenceRole = 'host-25' | 'host-submission' | 'reference-25';

export interface Outbound25Evidence {
  /** `host:port` (IPv6 literals in brackets). */
  readonly target: string;
  readonly host: string;
  readonly port: number;
  readonly role: EvidenceRole;
  readonly status: ProbeStatus;
  /** How long the probe took, in ms. */
  readonly ms: number;
  readonly detail?: string;
}

export interface Outbound25Diagnosis {
  readonly host: string;
  readonly verdict: Outbound25Verdict;
  /** One sentence: what the probes show. */
  readonly summary: string;
  /** What to do about it, in plain words. */
  readonly recommendation: string;
  /** Every probe the verdict rests on. */
  readonly evidence: readonly Outbound25Evidence[];
  /** For 'inconclusive': the probes or answers that would settle it. */
  readonly missing?: readonly string[];
}

/** The probe results the decision works from. */
export interface Outbound25Observations {
  readonly host: string;
  /** The host's port 25. */
  readonly port25: SmtpProbeResult;
  /** The same host's submission ports (587, 465). */
  readonly submission: readonly SmtpProbeResult[];
  /** Port 25 on independent reference MX hosts. */
  readonly references: readonly SmtpProbeResult[];
}

/** A TCP exchange happened: the far end accepted the connection (whatever it said next). */
const CONNECTED: ReadonlySet<ProbeStatus> = new Set<ProbeStatus>(['open', 'no-greeting', 'bad-greeting']);
/** No answer, or an ICMP "prohibited"/no-route: what a dropping firewall looks like. */
const SILENT: ReadonlySet<ProbeStatus> = new Set<ProbeStatus>(['timeout', 'unreachable']);

const connected = (r: SmtpProbeResult) => CONNECTED.has(r.status);
const silent = (r: SmtpProbeResult) => SILENT.has(r.status);
/** Something on the far side answered, even if only with a reset: the path to the host works. */
const answered = (r: SmtpProbeResult) => connected(r) || r.status === 'refused';
/**
 * A reference MX never refuses or ignores port 25, so any of these means something on our side stopped the
 * connection (networks block with silent drops, forged resets or ICMP "administratively prohibited").
 */
const referenceBlocked = (r: SmtpProbeResult) => silent(r) || r.status === 'refused';

export function formatTarget(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function evidenceOf(result: SmtpProbeResult, role: EvidenceRole): Outbound25Evidence {
  return {
    target: formatTarget(result.host, result.port),
    host: result.host,
    port: result.port,
    role,
    status: result.status,
    ms: Math.round(result.timings.total),
    ...(result.detail !== undefined ? { detail: result.detail } : {}),
  };
}

const RELAY_ADVICE =
  'send through a relay (smarthost) on port 587 with STARTTLS and authentication (or 465 with implicit TLS) — ' +
  'your provider or a mail service gives you one — or ask your network provider to lift the block on outbound port 25 ' +
  '(many cloud providers do on request)';

/** Decides from probe results alone; no I/O. */
export function decideOutbound25(input: Outbound25Observations): Outbound25Diagnosis {
  const { host, port25, submission, references } = input;
  const target = formatTarget(host, port25.port);
  const evidence = [
    evidenceOf(port25, 'host-25'),
    ...submission.map((r) => evidenceOf(r, 'host-submission')),
    ...references.map((r) => evidenceOf(r, 'reference-25')),
  ];
  const result = (
    verdict: Outbound25Verdict,
    summary: string,
    recommendation: string,
    missing?: readonly string[],
  ): Outbound25Diagnosis => ({ host, verdict, summary, recommendation, evidence, ...(missing ? { missing } : {}) });

  const referencesConnected = references.filter(connected);
  const referencesBlocked = references.filter(referenceBlocked);
  const submissionAnswered = submission.filter(answered);
  const submissionSilent = submission.length > 0 && submission.every(silent);
  const networkBlocks25 = referencesConnected.length === 0 && referencesBlocked.length >= MIN_SILENT_REFERENCES;
  const otherPortsConnect = submissionAnswered.length > 0;
  const submissionList = submissionAnswered.map((r) => `${r.port} (${r.status})`).join(', ');

  if (connected(port25)) {
    const note =
      port25.status === 'open'
        ? `${target} answered with an SMTP greeting`
        : `${target} accepted the connection (${port25.status}), so the path is open; the server's greeting is the problem`;
    return result('not-blocked', `Port 25 is not blocked: ${note}.`, 'Nothing to change on the network side.');
  }

  if (port25.status === 'refused') {
    if (networkBlocks25 && otherPortsConnect)
      return result(
        'network-blocks-25',
        `Port 25 is refused at ${target} and blocked to ${referencesBlocked.length} reference MX hosts, while ${host} answers on ${submissionList}: ` +
          'your network rejects outbound port 25.',
        `Your network blocks outbound port 25: ${RELAY_ADVICE}.`,
      );
    return result(
      'not-blocked',
      `${host} answered on port 25 with a refusal: the path is open but nothing listens on ${target}.`,
      `Start the MTA on ${host} or have it listen on port 25 (Postfix: the "smtp inet" line in master.cf), or use the port it really listens on.`,
    );
  }

  if (!silent(port25)) {
    return result(
      'inconclusive',
      `The probe of ${target} ended with "${port25.status}", so it says nothing about port 25 being blocked.`,
      port25.status === 'dns-failure'
        ? `Check that ${host} resolves, then run the diagnosis again.`
        : 'Run the diagnosis again and let it finish.',
      [`a completed probe of ${target}`],
    );
  }

  // Port 25 on the host is silent from here.
  if (referencesConnected.length > 0) {
    const refs = `${referencesConnected.length} of ${references.length} reference MX hosts answer on port 25`;
    if (submissionSilent)
      return result(
        'host-down',
        `${host} does not answer on 25 or on ${submission.map((r) => r.port).join('/')}, while ${refs}: the host is down or unreachable.`,
        `Check that ${host} resolves to the right address, that the machine is up, and that its firewall (or cloud security group) lets mail ports in.`,
      );
    const upNote = otherPortsConnect ? `, and ${host} itself answers on ${submissionList}` : '';
    return result(
      'host-filtered',
      `Port 25 is open from this network (${refs}${upNote}), but ${target} does not answer: the host drops port 25.`,
      `Check the firewall (or cloud security group) of ${host} for port 25, and that its MTA listens on 25 on a public address.` +
        (otherPortsConnect ? '' : ` Probing its ports 587/465 would tell a filtered port from a host that is down.`),
    );
  }

  if (networkBlocks25) {
    if (otherPortsConnect)
      return result(
        'network-blocks-25',
        `Port 25 is silent at ${target} and at ${referencesBlocked.length} reference MX hosts, while ${host} answers on ${submissionList}: ` +
          'your network blocks outbound port 25.',
        `Your network blocks outbound port 25: ${RELAY_ADVICE}.`,
      );
    if (submissionSilent)
      return result(
        'inconclusive',
        `Nothing answered at all: not ${host} on any port, not the reference MX hosts on 25.`,
        'Check that this machine is online (and not behind a proxy that allows only web traffic), then run the diagnosis again.',
        [`any connection that succeeds from here (e.g. ${host} on 587/465, or any other service) to show the network itself works`],
      );
    return result(
      'inconclusive',
      `Port 25 is silent at ${target} and at the reference MX hosts, but no other port was probed to show the network works.`,
      `Probe ${host} on 587 and 465: if they answer, your network blocks outbound port 25.`,
      [`a probe of ${host} on 587 or 465`],
    );
  }

  const usable = references.filter((r) => connected(r) || referenceBlocked(r)).length;
  return result(
    'inconclusive',
    `Port 25 is silent at ${target}, but only ${usable} of ${references.length} reference MX probes gave a usable answer ` +
      `(need ${MIN_SILENT_REFERENCES} silent, or one that answers).`,
    'Probe port 25 on more reference MX hosts (check that their names resolve), then run the diagnosis again.',
    [`port 25 probes of at least ${MIN_SILENT_REFERENCES} reference MX hosts that complete`],
  );
}

export type ProbeFunction = (host: string, port: number, signal: AbortSignal) => Promise<SmtpProbeResult>;

export interface Outbound25Input {
  readonly host: string;
  /** The probe of host:25 already made (usually the one that timed out); probed when absent. */
  readonly port25?: SmtpProbeResult;
  /** Submission-port results already made for the host; the ports of `submissionPorts` not covered are probed. */
  readonly submission?: readonly SmtpProbeResult[];
  /** Default DEFAULT_SUBMISSION_PORTS. */
  readonly submissionPorts?: readonly number[];
  /** Reference MX hosts probed on 25 (default DEFAULT_REFERENCE_MX_HOSTS); the host itself is skipped. */
  readonly referenceHosts?: readonly string[];
}

export interface Outbound25Deps {
  readonly probe: ProbeFunction;
  /** Stops every probe still running; their results come back as 'cancelled'. */
  readonly signal?: AbortSignal;
}

/**
 * Probes what the decision still lacks — host:25 if not given, the submission ports, port 25 on the reference
 * MX hosts, all at once — and decides. When host:25 already connects, nothing else is probed.
 * A probe that throws is a bug: the other probes are aborted and the error is rethrown.
 */
export async function diagnoseOutbound25(input: Outbound25Input, deps: Outbound25Deps): Promise<Outbound25Diagnosis> {
  const { host } = input;
  const controller = new AbortController();
  if (deps.signal?.aborted) controller.abort(deps.signal.reason);
  const unwatch = watchAbort(deps.signal, () => controller.abort(deps.signal?.reason));

  const probe = async (h: string, port: number): Promise<SmtpProbeResult> => {
    try {
      return await deps.probe(h, port, controller.signal);
    } catch (error) {
      controller.abort(error);
      throw error;
    }
  };

  try {
    const port25Promise = input.port25 ? Promise.resolve(input.port25) : probe(host, 25);
    if (input.port25 && connected(input.port25))
      return decideOutbound25({ host, port25: input.port25, submission: input.submission ?? [], references: [] });

    const given = input.submission ?? [];
    const toProbe = (input.submissionPorts ?? DEFAULT_SUBMISSION_PORTS).filter((p) => !given.some((r) => r.port === p));
    const references = (input.referenceHosts ?? DEFAULT_REFERENCE_MX_HOSTS).filter(
      (h) => h.toLowerCase() !== host.toLowerCase(),
    );
    const [port25, probedSubmission, referenceResults] = await Promise.all([
      port25Promise,
      Promise.all(toProbe.map((port) => probe(host, port))),
      Promise.all(references.map((h) => probe(h, 25))),
    ]);
    return decideOutbound25({ host, port25, submission: [...given, ...probedSubmission], references: referenceResults });
  } finally {
    unwatch();
  }
}
