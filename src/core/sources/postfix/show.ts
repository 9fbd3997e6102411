import { REDACTED, isSecretName, redactValue } from '../../redact';
import type { MainCf } from './mainCf';
import { type MasterCf, SERVICE_TYPES } from './masterCf';
import { TEMPLATE_MARK } from './template';
import { MAP_TYPE_SINCE } from './versions.generated';

/** postconf prints values with every run of white space (e.g. from continuation lines) as one space. */
export function collapseWhiteSpace(value: string): string {
  return value.replace(/[ \t\n\v\f\r]+/g, ' ');
}

/**
 * `user:password@host` written inline (a relayhost with a login, an smtp:// URL): the password is masked.
 * `static:archive@example.com` is a lookup table, not a login, and stays as written.
 */
function maskInlineLogins(value: string): string {
  if (!value.includes('@')) return value;
  return value
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, `$1${REDACTED}@`)
    .replace(/(^|[\s,[(])([^\s:@[\](){},="'$/]+):([^\s@[\](){}/]+)@(?=[A-Za-z0-9[])/g, (all, lead: string, user: string) =>
      MAP_TYPE_SINCE.has(user.toLowerCase()) ? all : `${lead}${user}:${REDACTED}@`,
    );
}

/** A value as safe to print: secret-named parameters by their table type only, inline logins masked. */
function shownValue(name: string, value: string): string {
  const shown = isSecretName(name) ? redactValue(name, value) : maskInlineLogins(value);
  return shown.replace(TEMPLATE_RUN, '…');
}

const TEMPLATE_RUN = new RegExp(`${TEMPLATE_MARK}+`, 'g');

/** Why Postfix refuses to read this main.cf (postconf stops with a fatal error), or undefined. */
export function mainCfRefusal(main: MainCf): string | undefined {
  const p = main.problems.find((x) => x.kind === 'missing-equals' || x.kind === 'missing-name');
  return p && `line ${main.lines.positionAt(p.span.start).line + 1}: ${p.message}`;
}

/** Why Postfix refuses to read this master.cf (master_ent.c's field checks), or undefined. */
export function masterCfRefusal(master: MasterCf): string | undefined {
  for (const s of master.services) {
    const f = s.fields.map((x) => x.text);
    const line = s.firstLine + 1;
    if (f.length < 8) return `line ${line}: service "${f[0]}" has ${f.length} fields, not 8: Postfix refuses this file.`;
    if (!(SERVICE_TYPES as readonly string[]).includes(f[1])) return `line ${line}: unknown service type "${f[1]}": Postfix refuses this file.`;
    const bad = [2, 3, 4].find((k) => !/^[yn-]$/.test(f[k]));
    if (bad !== undefined) return `line ${line}: field ${bad + 1} of "${f[0]}" is "${f[bad]}", not y, n or -: Postfix refuses this file.`;
    if (!/^(-|\d+\??)$/.test(f[5]) || !/^(-|\d+)$/.test(f[6])) return `line ${line}: bad wakeup or maxproc field of "${f[0]}": Postfix refuses this file.`;
  }
  return undefined;
}

/**
 * The parameters main.cf sets, as `postconf -n` prints them: `name = value`, sorted by name, except that
 * credentials are masked (the output gets pasted into issues). Pass `include` to keep only some names
 * (postconf -n leaves out names it does not know).
 */
export function showMainCf(main: MainCf, include: (name: string) => boolean = () => true): string {
  const names = [...main.effective.keys()].filter(include).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((n) => {
    const v = shownValue(n, collapseWhiteSpace(main.effective.get(n)!.value));
    return v === '' ? `${n} =` : `${n} = ${v}`;
  }).join('\n') + (names.length ? '\n' : '');
}

// postconf -M puts the 8 fixed fields at these columns, with at least one space between fields.
const COLUMN_GOALS = [0, 11, 17, 25, 33, 41, 49, 57];

/** The services master.cf defines, one line each, as `postconf -M` prints them (without folding; credentials masked). */
export function showMasterCf(master: MasterCf): string {
  const out: string[] = [];
  for (const s of master.services) {
    let line = '';
    const fields = s.fields.map((f) => f.text);
    for (let i = 0; i < Math.min(8, fields.length); i++) {
      if (line.length > 0) {
        do line += ' ';
        while (line.length < COLUMN_GOALS[i]);
      }
      line += fields[i];
    }
    let inOptions = true;
    for (let i = 8; i < fields.length; i++) {
      let arg = fields[i];
      if (inOptions && (arg[0] !== '-' || arg === '--')) inOptions = false;
      if (inOptions && arg === '-o' && i + 1 < fields.length) {
        arg = `-o ${braceIfSpaced(normalizeOverride(unbrace(fields[++i])))}`;
      } else {
        arg = /^\{.*\}$/s.test(arg) ? braceIfSpaced(maskInlineLogins(unbrace(arg))) : maskInlineLogins(arg);
      }
      line += ' ' + arg;
    }
    out.push(line);
  }
  return out.join('\n') + (out.length ? '\n' : '');
}

/** `name = value` → `name=value`, as postconf normalizes -o settings. */
function normalizeOverride(setting: string): string {
  const eq = setting.indexOf('=');
  if (eq < 0) return maskInlineLogins(setting);
  const name = setting.slice(0, eq).trim();
  return `${name}=${shownValue(name, setting.slice(eq + 1).trim())}`;
}

function braceIfSpaced(text: string): string {
  return /[ \t\n\v\f\r]/.test(text) ? `{${text}}` : text;
}

/** `{ text }` → `text` with Postfix's outer white space stripping; other fields unchanged. */
function unbrace(field: string): string {
  if (!field.startsWith('{') || !field.endsWith('}')) return field;
  return field.slice(1, -1).trim();
}
