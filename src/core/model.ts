// The shapes every part of SMTP Doctor shares: parsers produce them, rules and checks return them,
// adapters (VS Code, CLI reports) present them.

import { redactText } from './redact';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** Zero-based line and UTF-16 character offset, as VS Code counts them. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** A text file handed to the engine: `file` is an opaque id (a path for the CLI, a URI string in VS Code). */
export interface SourceFile {
  readonly file: string;
  readonly text: string;
}

export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

/** A mechanical change that resolves a finding; every edit applies to the finding's file. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** Whether this is the obvious fix to apply (VS Code's "preferred" quick fix). */
  readonly preferred?: boolean;
}

export interface RelatedLocation {
  readonly file: string;
  readonly range: Range;
  readonly message: string;
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly file: string;
  readonly range: Range;
  /** One sentence that names the problem and the fix (aim: 120 characters); what lists and panels show. */
  readonly message: string;
  /**
   * The long explanation: why it matters, the runtime error users meet, what was seen, examples. Shown in
   * the hover, with `--verbose` and in JSON; never in the Problems panel line.
   */
  readonly details?: string;
  readonly fixes?: readonly Fix[];
  readonly related?: readonly RelatedLocation[];
}

/** What every rule declares about itself; the engine knows nothing else about a rule. */
export interface RuleMeta {
  /** Stable id, e.g. `postfix/unknown-parameter`. */
  readonly id: string;
  /** One line: what the rule finds. */
  readonly description: string;
  readonly defaultSeverity: Severity;
  /** Whether some findings carry a fix. */
  readonly fixable: boolean;
}

/** What every rule reports, whatever it checks; each kind of rule adds where the finding goes. */
export interface RuleReport {
  readonly message: string;
  /** The long explanation (why, the runtime's own error text, what was seen): hover, --verbose and JSON. */
  readonly details?: string;
  /** Defaults to the rule's `meta.defaultSeverity`. */
  readonly severity?: Severity;
}

/**
 * A rule, in the spirit of ESLint's: metadata plus one function from a subject (a parsed Postfix
 * configuration, an application's transport) to reports. The engine (`runRules`) turns reports into findings.
 */
export interface Rule<Subject, Report extends RuleReport = RuleReport> {
  readonly meta: RuleMeta;
  check(subject: Subject, report: (r: Report) => void): void;
}

/** Where a report lands: the rest of a finding, which only the kind of rule knows how to compute. */
export interface ReportPlacement {
  readonly file: string;
  readonly range: Range;
  readonly fixes: readonly Fix[] | undefined;
  readonly related: readonly RelatedLocation[] | undefined;
}

export interface RunRulesOptions<Report extends RuleReport> {
  /** The file, range, fixes and related locations of a report; `undefined` drops it (its file is absent). */
  place(report: Report): ReportPlacement | undefined;
  /** Where a rule that throws is reported, as a warning, so one rule's bug hides no other finding; `undefined`: nowhere. */
  readonly internalErrorAt: { readonly file: string; readonly range: Range } | undefined;
  /** Applied to message and details after credentials are masked (Postfix shows masked template code as "…"). */
  readonly rewriteText?: (text: string) => string;
}

/** Runs `rules` over one subject, in order; every report becomes a finding with the rule's id and severity. */
export function runRules<Subject, Report extends RuleReport>(rules: readonly Rule<Subject, Report>[], subject: Subject, options: RunRulesOptions<Report>): Finding[] {
  const findings: Finding[] = [];
  // Rules quote the file (values, URLs, broken lines); whatever looks like a credential is masked.
  const text = (t: string) => (options.rewriteText ? options.rewriteText(redactText(t)) : redactText(t));
  for (const rule of rules) {
    const report = (r: Report) => {
      const place = options.place(r);
      if (!place) return;
      findings.push({
        ruleId: rule.meta.id,
        severity: r.severity ?? rule.meta.defaultSeverity,
        file: place.file,
        range: place.range,
        message: text(r.message),
        ...(r.details ? { details: text(r.details) } : {}),
        fixes: place.fixes,
        related: place.related,
      });
    };
    try {
      rule.check(subject, report);
    } catch (err) {
      if (options.internalErrorAt) {
        findings.push({
          ruleId: rule.meta.id,
          severity: 'warning',
          ...options.internalErrorAt,
          message: redactText(`Internal error in rule ${rule.meta.id}: ${(err as Error).message}`),
        });
      }
    }
  }
  return findings;
}

/** Path of a rule's docs page inside the repository, e.g. `docs/rules/postfix/open-relay.md`. */
export function ruleDocsPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

export const DOCS_BASE_URL = 'https://github.com/smtp-doctor/smtp-doctor/blob/main/';

export function ruleDocsUrl(ruleId: string): string {
  return DOCS_BASE_URL + ruleDocsPath(ruleId);
}

/** User control over rules: severities overridden or `off`. */
export type RuleSeverityOverrides = Readonly<Record<string, Severity | 'off'>>;

/** Applies severity overrides; they may depend on the file (a project file's rules cover its folder). */
export function applySeverityOverrides(findings: readonly Finding[], overrides: RuleSeverityOverrides | ((file: string) => RuleSeverityOverrides)): Finding[] {
  const out: Finding[] = [];
  // Asked once per file, not per finding: looking up a file's project settings is not free.
  const perFile = new Map<string, RuleSeverityOverrides>();
  const forFile = (file: string) => {
    if (typeof overrides !== 'function') return overrides;
    let o = perFile.get(file);
    if (!o) perFile.set(file, (o = overrides(file)));
    return o;
  };
  for (const f of findings) {
    const o = forFile(f.file)[f.ruleId];
    if (o === 'off') continue;
    out.push(o ? { ...f, severity: o } : f);
  }
  return out;
}

export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { error: 0, warning: 1, information: 2, hint: 3 };

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

/** How a client secures an SMTP connection. */
export type EndpointSecurity =
  /** TLS from the first byte (port 465, nodemailer `secure: true`, Postfix wrappermode). */
  | 'implicit-tls'
  /** Plain connect, then STARTTLS, and fail if the server does not offer it. */
  | 'starttls-required'
  /** STARTTLS when offered, plain text otherwise. */
  | 'starttls-opportunistic'
  /** Never TLS. */
  | 'none'
  /** Depends on a value we could not resolve. */
  | 'unknown';

/**
 * What kind of setting defined an endpoint, as the configuration source that read it names it ('nodemailer',
 * 'smtp-url', 'json', 'yaml', 'env', 'postfix-relayhost', or a new source's own); the reports' `source`.
 */
export type EndpointSource = string;

/**
 * An SMTP server a configuration sends mail to, as the client will really use it. Postfix's relayhost
 * and an application's transport both produce this, so live checks treat them alike.
 */
export interface Endpoint {
  /** Undefined when the host comes from a value we could not resolve. */
  readonly host?: string;
  readonly port?: number;
  readonly security: EndpointSecurity;
  readonly authPresent: boolean;
  readonly source: EndpointSource;
  /** That kind of setting in words, as the Results tree shows it ('nodemailer transport', 'Postfix relayhost'). */
  readonly sourceLabel: string;
  /** The definition as a whole (a createTransport call, a YAML mapping, a relayhost line). */
  readonly file: string;
  readonly range: Range;
  /** Where each option that shaped it is written, by option name (host, port, secure, ...). */
  readonly optionRanges: Readonly<Record<string, { readonly file: string; readonly range: Range }>>;
  /** Options read from environment variables: which variable, and the .env line that set it (if any). */
  readonly envOrigins?: Readonly<Record<string, { readonly variable: string; readonly file?: string; readonly range?: Range }>>;
}
