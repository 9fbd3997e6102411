// A JSON/YAML value as the application reads it: `${VAR}` interpolation from .env files, SMTP URLs with
// unset credentials, and the option (value, ranges, origin) a transport gets from it.
import { type Node as YNode, isScalar } from 'yaml';
import type { Range } from '../../model';
import type { Scalar } from './extractFromEnvFile';
import { isComposeFile } from './settingsFileNames';
import { looksLikeSmtpUrl, parseSmtpUrl } from './smtpUrl';
import { type EnvOrigin, type OptionValue, verbatimSpan } from './transport';
import { type ReadContext, nodeSpan } from './yamlNodes';

/** A value as the application reads it, after `${VAR}` interpolation. */
export interface Read {
  readonly value?: Scalar;
  readonly unresolved?: OptionValue['unresolved'];
  readonly env?: EnvOrigin;
  readonly literal: boolean;
  /** The text with the variables that are set substituted and the others left as written. */
  readonly template?: string;
}

/** A value that is one `${NAME}` (with or without a default) and nothing else. */
export const WHOLE_INTERPOLATION = /^\s*\$\{[A-Za-z_][A-Za-z0-9_]*(?:(?::-|:\?|:\+|-|\?|\+|:)[^}]*)?\}\s*$/;

const INTERPOLATION = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?|:\+|-|\?|\+|:)([^}]*))?\}/g;

/** `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:default}` (Spring), from .env files. */
export function interpolate(text: string, ctx: ReadContext): Read {
  if (text.includes('{{')) {
    return { literal: false, unresolved: { reason: 'dynamic', description: 'a template expression filled in at deploy time' } };
  }
  let env: EnvOrigin | undefined;
  let missing: string | undefined;
  let any = false;
  const kept: string[] = [];
  const value = text.replace(INTERPOLATION, (all: string, name: string, op: string | undefined, arg: string | undefined) => {
    any = true;
    // Compose interpolates from the .env next to the compose file only (never .env.example, never a parent's).
    const found = isComposeFile(ctx.source.file) ? ctx.env.lookupForCompose(name, ctx.source.file) : ctx.env.lookup(name, ctx.source.file);
    env = env ?? (found ? { name, file: found.file, range: found.valueRange } : { name });
    const set = found !== undefined;
    const nonEmpty = set && found.value !== '';
    switch (op) {
      case undefined:
        if (!set) {
          missing = missing ?? name;
          kept.push(all);
          return all;
        }
        return found.value;
      case ':-':
      case ':':
        return nonEmpty ? found.value : arg ?? '';
      case '-':
        return set ? found.value : arg ?? '';
      case ':?':
      case '?':
        if (!(op === ':?' ? nonEmpty : set)) {
          missing = missing ?? name;
          kept.push(all);
          return all;
        }
        return found?.value ?? '';
      case ':+':
        return nonEmpty ? arg ?? '' : '';
      default:
        return set ? arg ?? '' : '';
    }
  });
  if (!any) return { value: text, literal: true };
  if (missing) return { literal: false, env, template: value, unresolved: { reason: 'env', description: ctx.env.notSetDescription(missing, ctx.source.file, 'in any .env file') } };
  return { value, literal: false, env };
}

/**
 * An SMTP URL whose unset variables are all inside the user:password part (`smtps://me:${SMTP_PASSWORD}@host`)
 * still says where mail goes: the URL with those placeholders left in is its value.
 */
export function asUrlRead(read: Read): Read {
  const t = read.template;
  if (read.value !== undefined || read.unresolved?.reason !== 'env' || t === undefined || !looksLikeSmtpUrl(t)) return read;
  const parsed = parseSmtpUrl(t);
  if (!parsed.ok || !parsed.url.userInfoSpan) return read;
  const { start, end } = parsed.url.userInfoSpan;
  for (let i = t.indexOf('${'); i >= 0; i = t.indexOf('${', i + 2)) if (i < start || i >= end) return read;
  return { ...read, value: t, unresolved: undefined };
}

export function readScalar(node: YNode | null, ctx: ReadContext): Read | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return { value: v, literal: true };
  if (typeof v === 'bigint') return { value: Number(v), literal: true };
  if (typeof v !== 'string') return undefined;
  return interpolate(v, ctx);
}

/** Where a string value written literally at [start, end) has its characters one for one, if it does. */
export function verbatimRange(read: Read, value: Scalar | undefined, derived: boolean, [start, end]: readonly [number, number], ctx: ReadContext): Range | undefined {
  if (!read.literal || derived || typeof value !== 'string' || value !== read.value) return undefined;
  const span = verbatimSpan(ctx.text, start, end, value);
  return span && ctx.lines.range(span[0], span[1]);
}

export function makeOption(read: Read, value: Scalar | undefined, node: YNode, pairOrItem: Range, ctx: ReadContext, derived: boolean, removeRange?: Range): OptionValue {
  const span = nodeSpan(node, ctx);
  return {
    value,
    unresolved: value === undefined ? read.unresolved ?? { reason: 'dynamic', description: 'not known before run time' } : undefined,
    file: ctx.source.file,
    range: ctx.lines.range(span[0], span[1]),
    optionRange: pairOrItem,
    env: read.env,
    // Retyped ("true" → true) or derived values are not the written text: a fix must not write them back.
    literal: read.literal && !derived && typeof value === typeof read.value,
    verbatim: verbatimRange(read, value, derived, span, ctx),
    // A derived option (secure from MAIL_ENCRYPTION) shares its line with others: removing it is no fix.
    removeRange: derived ? undefined : removeRange,
  };
}
