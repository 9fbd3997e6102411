import type { PostfixInstance } from '../instance';
import { expandValue, findReferences } from '../macros';
import type { Span } from '../mainCf';
import { type ParameterType, RAW_PARAMETERS, parameterType } from '../parameterTypes';
import type { PostfixFileKind, PostfixRule } from '../postfixRule';
import { isTemplated } from '../template';

/** What is wrong with a value: the message, the [from, to) part of the value to underline, a fix. */
interface Problem {
  readonly message: string;
  readonly from?: number;
  readonly to?: number;
  readonly replacement?: string;
  readonly warningOnly?: boolean;
}

const BOOLEAN_SYNONYMS: Readonly<Record<string, string>> = {
  true: 'yes', on: 'yes', '1': 'yes', y: 'yes', enabled: 'yes', enable: 'yes',
  false: 'no', off: 'no', '0': 'no', n: 'no', disabled: 'no', disable: 'no',
};

const SERVER_LEVEL_PARAMS = new Set(['smtpd_tls_security_level', 'postscreen_tls_security_level', 'tlsproxy_tls_security_level']);
const CLIENT_ONLY_LEVELS = new Set(['fingerprint', 'verify', 'secure']);
const SIZE_PARAMS = /(_size_limit|_map_size)$/;
const SIZE_UNITS: Readonly<Record<string, number>> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };


const FATAL = 'Postfix stops with a fatal error';

/** Checks one literal (already expanded) value against its parameter's type. */
function validate(name: string, value: string, type: ParameterType): Problem | undefined {
  switch (type.kind) {
    case 'boolean': {
      // Postfix compares yes/no case-insensitively; anything else is fatal (mail_conf_bool.c).
      if (/^(yes|no)$/i.test(value)) return undefined;
      const synonym = BOOLEAN_SYNONYMS[value.toLowerCase()];
      return { message: `${name} must be yes or no, not "${short(value)}": ${FATAL}.`, replacement: synonym };
    }
    case 'integer': {
      if (/^[-+]?\d+$/.test(value)) return undefined;
      const sized = /^(\d+)\s*([kKmMgG])[bB]?$/.exec(value);
      const bytes = sized && SIZE_PARAMS.test(name) ? String(Number(sized[1]) * SIZE_UNITS[sized[2].toLowerCase()]) : undefined;
      return {
        message: `${name} must be a whole number, not "${short(value)}": ${FATAL}` + (bytes ? ` (no units: ${value} is ${bytes}).` : '.'),
        replacement: bytes,
      };
    }
    case 'time': {
      if (/^[-+]?\d+[smhdw]?$/.test(value)) return undefined;
      // "10 s", "10S", "10sec" → "10s"; fractions have no obvious fix.
      const m = /^(\d+)\s*([smhdwSMHDW])[a-zA-Z]*$/.exec(value);
      const fixed = m ? m[1] + m[2].toLowerCase() : undefined;
      return {
        message: `${name} must be a time such as 30s (units s, m, h, d, w), not "${short(value)}": ${FATAL}.`,
        replacement: fixed && /^\d+[smhdw]$/.test(fixed) ? fixed : undefined,
      };
    }
    case 'enum':
      return validateEnum(name, value, type);
    case 'other':
      if (!type.pattern || type.pattern.test(value)) return undefined;
      return { message: `${name} must be ${type.syntax ?? 'well-formed'}, not "${short(value)}": ${FATAL}.` };
  }
}

const short = (s: string) => (s.length > 40 ? `${s.slice(0, 39)}…` : s);

function validateEnum(name: string, value: string, type: ParameterType): Problem | undefined {
  const values = type.values ?? [];
  const norm = (s: string) => (type.caseSensitive ? s : s.toLowerCase());
  const accepted = new Set(values.map(norm));
  const choices = type.allowEmpty ? [...values, 'nothing'] : values;
  const allowed = `use ${choices.slice(0, -1).join(', ')}${choices.length > 1 ? ' or ' : ''}${choices[choices.length - 1]}`;
  const effect = type.notFatal ? 'TLS fails with a warning' : FATAL;
  // One sentence: the problem, what Postfix does, the fix (the list of values only when it fits).
  const say = (problem: string, exact?: string) => {
    const fix = exact ? `write "${exact}" (case matters)` : allowed;
    const full = `${problem}: ${effect}; ${fix}.`;
    return full.length <= 160 ? full : `${problem}: ${effect}; see postconf(5) for the values.`;
  };
  if (value === '') {
    return type.allowEmpty ? undefined : { message: say(`${name} must not be empty`), warningOnly: type.notFatal };
  }
  if (type.list) {
    const re = /[^\s,]+/g;
    for (let m = re.exec(value); m; m = re.exec(value)) {
      if (accepted.has(norm(m[0]))) continue;
      const exact = values.find((v) => v.toLowerCase() === m![0].toLowerCase());
      return {
        message: say(`${name} does not accept "${short(m[0])}"`, exact),
        from: m.index,
        to: m.index + m[0].length,
        replacement: exact,
        warningOnly: type.notFatal,
      };
    }
    return undefined;
  }
  if (accepted.has(norm(value))) return undefined;
  if (SERVER_LEVEL_PARAMS.has(name) && CLIENT_ONLY_LEVELS.has(value.toLowerCase())) {
    // smtpd/postscreen/tlsproxy log 'unsupported TLS level "verify", using "encrypt"' and carry on.
    return { message: `"${value}" is a client TLS level: the server uses "encrypt" instead; write "encrypt".`, replacement: 'encrypt', warningOnly: true };
  }
  const exact = values.find((v) => v.toLowerCase() === value.toLowerCase());
  return {
    message: say(`${name} does not accept "${short(value)}"`, exact),
    replacement: exact,
    warningOnly: type.notFatal,
  };
}

/** A place where a parameter gets a value: a main.cf statement or a master.cf -o override. */
interface Site {
  readonly file: PostfixFileKind;
  readonly name: string;
  readonly value: string;
  readonly nameSpan: Span;
  readonly valueSpan: Span;
  spanOfValue(from: number, to: number): Span;
}

function sites(instance: PostfixInstance): Site[] {
  const out: Site[] = [];
  for (const p of instance.main?.parameters ?? []) {
    // A value spoilt by a ` # comment` or by an indented `name = value` line joined onto it is the finding
    // of postfix/inline-comment or postfix/accidental-continuation: one root cause, one finding.
    if (/\s#/.test(p.value) || /\\(\s|$)/.test(p.value) || isTemplated(p.name) || (p.lastLine > p.firstLine && /\s[A-Za-z0-9_]+\s*=/.test(p.value))) continue;
    out.push({ file: 'main', name: p.name, value: p.value, nameSpan: p.nameSpan, valueSpan: p.valueSpan, spanOfValue: p.spanOfValue });
  }
  for (const s of instance.master?.services ?? []) {
    for (const o of s.overrides) {
      if (isTemplated(o.name)) continue;
      out.push({
        file: 'master',
        name: o.name,
        value: o.value,
        nameSpan: o.nameSpan,
        valueSpan: o.valueSpan,
        // An override's value is one field on one line, so offsets map directly.
        spanOfValue: (from, to) => ({ start: o.valueSpan.start + from, end: o.valueSpan.start + to }),
      });
    }
  }
  return out;
}

/** Values a parameter cannot take: not yes/no, not a number, not a time, not one of its words. */
export const invalidValue: PostfixRule = {
  meta: {
    id: 'postfix/invalid-value',
    description: 'A value that does not parse for its parameter (boolean, number, time, or one of a fixed set of words).',
    defaultSeverity: 'error',
    fixable: true,
  },
  check(instance, report) {
    for (const site of sites(instance)) {
      if (!instance.isKnownParameter(site.name) || RAW_PARAMETERS.has(site.name) || isTemplated(site.value)) continue;
      const type = parameterType(site.name);
      if (type.kind === 'other' && !type.pattern) continue;

      if (site.value.includes('$')) {
        // Check the expanded value, but only when every reference resolves: an undefined one is
        // undefined-reference's finding, and a malformed one is not ours either.
        const { refs, errors } = findReferences(site.value);
        if (errors.length || refs.some((r) => instance.rawValue(r.name) === undefined)) continue;
        const expanded = expandValue(site.value, instance.rawValue).trim();
        if (isTemplated(expanded)) continue;
        const problem = validate(site.name, expanded, type);
        if (!problem) continue;
        report({
          file: site.file,
          span: site.valueSpan,
          severity: problem.warningOnly ? 'warning' : undefined,
          message: `${problem.message} (${short(site.value)} expands to it)`,
        });
        continue;
      }

      const problem = validate(site.name, site.value, type);
      if (!problem) continue;
      const span =
        problem.from !== undefined && problem.to !== undefined
          ? site.spanOfValue(problem.from, problem.to)
          : site.value === ''
            ? site.nameSpan
            : site.valueSpan;
      const fixSpan = problem.from !== undefined && problem.to !== undefined ? span : site.valueSpan;
      report({
        file: site.file,
        span,
        severity: problem.warningOnly ? 'warning' : undefined,
        message: problem.message,
        fixes:
          problem.replacement !== undefined
            ? [{ title: `Change to "${problem.replacement}"`, edits: [{ span: fixSpan, newText: problem.replacement }], preferred: true }]
            : undefined,
      });
    }
  },
};
