import type { Endpoint, EndpointSecurity, EndpointSource, Finding, Position, Severity } from '../model';

/** A finding as reports print it: 1-based line/column, file path as given (already relative). */
export interface ReportedFinding {
  readonly rule: string;
  readonly severity: Severity;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly message: string;
  /** The long explanation, when the finding has one. */
  readonly details?: string;
  /** Other places involved (1-based lines), e.g. a second rule's finding folded into this one. */
  readonly related?: readonly { readonly file: string; readonly line: number; readonly column: number; readonly message: string }[];
}

const oneBased = (p: Position) => ({ line: p.line + 1, column: p.character + 1 });

export function toReported(f: Finding, displayPath: (file: string) => string = (x) => x): ReportedFinding {
  const s = oneBased(f.range.start);
  const e = oneBased(f.range.end);
  return {
    rule: f.ruleId,
    severity: f.severity,
    file: displayPath(f.file),
    line: s.line,
    column: s.column,
    endLine: e.line,
    endColumn: e.column,
    message: f.message,
    ...(f.details ? { details: f.details } : {}),
    ...(f.related?.length ? { related: f.related.map((r) => ({ file: displayPath(r.file), ...oneBased(r.range.start), message: r.message })) } : {}),
  };
}

/** An endpoint as reports print it (the JSON shape: host, port, security, file, line, source). */
export interface ReportedEndpoint {
  readonly host: string | null;
  readonly port: number | null;
  readonly security: EndpointSecurity;
  readonly file: string;
  readonly line: number;
  readonly source: EndpointSource;
  readonly authPresent: boolean;
  /** Options read from environment variables; file and line are null when no .env file sets it. */
  readonly env: readonly { readonly option: string; readonly variable: string; readonly file: string | null; readonly line: number | null }[];
}

export function toReportedEndpoint(e: Endpoint, displayPath: (file: string) => string = (x) => x): ReportedEndpoint {
  return {
    host: e.host ?? null,
    port: e.port ?? null,
    security: e.security,
    file: displayPath(e.file),
    line: e.range.start.line + 1,
    source: e.source,
    authPresent: e.authPresent,
    env: Object.entries(e.envOrigins ?? {}).map(([option, o]) => ({
      option,
      variable: o.variable,
      file: o.file ? displayPath(o.file) : null,
      line: o.range ? o.range.start.line + 1 : null,
    })),
  };
}
