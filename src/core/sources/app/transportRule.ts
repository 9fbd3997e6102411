import type { Fix, Range, RelatedLocation, Rule, RuleReport } from '../../model';
import type { EffectiveTransport } from './effectiveTransport';

/** What a transport rule reports; the engine fills in the rule id, file, range and .env links. */
export interface TransportReport extends RuleReport {
  /**
   * The option the finding is about (`port`, `tls.rejectUnauthorized`, ...): the finding goes on that
   * option's value, and, when the value came from a .env file, links to that line. Without it (and
   * without `range`), the finding goes on the whole definition.
   */
  readonly option?: string;
  /** An exact range in the definition's file, overriding the option's (e.g. digits inside a URL). */
  readonly range?: Range;
  /** Edits in the finding's file. */
  readonly fixes?: readonly Fix[];
  readonly related?: readonly RelatedLocation[];
}

/** A rule over one application transport (nodemailer, SMTP URL, JSON/YAML config, .env). */
export type TransportRule = Rule<EffectiveTransport, TransportReport>;
