import { redactText, redactValue } from '../redact';
import type { MainCf } from './mainCf';
import type { MasterCf } from './masterCf';

/** postconf prints values with every run of white space (e.g. from continuation lines) as one space. */
export function collapseWhiteSpace(value: string): string {
  return value.replace(/[ \t\n\v\f\r]+/g, ' ');
}

/** A value as safe to print: secret-named parameters by their table type only, inline credentials masked. */
function shownValue(name: string, value: string): string {
  return redactText(redactValue(name, value));
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
        arg = /^\{.*\}$/s.test(arg) ? braceIfSpaced(redactText(unbrace(arg))) : redactText(arg);
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
  if (eq < 0) return redactText(setting);
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
