import type { Fix, Range, RelatedLocation, RuleMeta, Severity } from '../model';
import type { EffectiveTransport } from './effectiveTransport';

/** What a transport rule reports; the engine fills in the rule id, file, range and .env links. */
export interface TransportReport {
  /**
   * The option the finding is about (`port`, `tls.rejectUnauthorized`, ...): the finding goes on that
   * option's value, and, when the value came from a .env file, links to that line. Without it (and
   * without `range`), the finding goes on the whole definition.
   */
  readonly option?: string;
  /** An exact range in the definition's file, overriding the option's (e.g. digits inside a URL). */
  readonly range?: Range;
  readonly message: string;
  /** The longer story (shown by --verbose, JSON and the hover). */
  readonly details?: string;
  readonly severity?: Severity;
  /** Edits in the finding's file. */
  readonly fixes?: readonly Fix[];
  readonly related?: readonly RelatedLocation[];
}

/** A rule over one application transport (nodemailer, SMTP URL, JSON/YAML config, .env). */
export interface TransportRule {
  readonly meta: RuleMeta;
  check(transport: EffectiveTransport, report: (r: TransportReport) => void): void;
}
