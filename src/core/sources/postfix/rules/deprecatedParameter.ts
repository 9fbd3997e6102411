import type { MainCf, MainCfParameter, Span } from '../mainCf';
import type { MasterCf, MasterCfOverride } from '../masterCf';
import { POSTFIX_DEFAULTS } from '../parameters.generated';
import { type Release, compareReleases, targetHasParameter } from '../postfixVersion';
import type { PostfixRule, SpanEdit } from '../postfixRule';
import { isTemplated } from '../template';

const yes = (v: string | undefined) => (v ?? '').trim().toLowerCase() === 'yes';

/**
 * Obsolete switches folded into one modern parameter. `level` turns the switches' values (looked up
 * with `get`) into the modern value; undefined means "the default", i.e. the switches change nothing.
 * When the modern parameter is non-empty Postfix ignores the switches altogether.
 */
interface Group {
  readonly target: string;
  readonly members: readonly string[];
  level(get: (name: string) => string | undefined): string | undefined;
}

const clientGroup = (p: 'smtp' | 'lmtp'): Group => ({
  target: `${p}_tls_security_level`,
  members: [`${p}_use_tls`, `${p}_enforce_tls`, `${p}_tls_enforce_peername`],
  // enforce_tls with enforce_peername (default yes) checks the certificate name: that is "verify".
  level: (get) =>
    yes(get(`${p}_enforce_tls`))
      ? get(`${p}_tls_enforce_peername`)?.trim().toLowerCase() === 'no'
        ? 'encrypt'
        : 'verify'
      : yes(get(`${p}_use_tls`))
        ? 'may'
        : undefined,
});

const GROUPS: readonly Group[] = [
  {
    target: 'smtpd_tls_security_level',
    members: ['smtpd_use_tls', 'smtpd_enforce_tls'],
    level: (get) => (yes(get('smtpd_enforce_tls')) ? 'encrypt' : yes(get('smtpd_use_tls')) ? 'may' : undefined),
  },
  clientGroup('smtp'),
  clientGroup('lmtp'),
  {
    target: 'smtp_dns_support_level',
    members: ['disable_dns_lookups'],
    level: (get) => (yes(get('disable_dns_lookups')) ? 'disabled' : undefined),
  },
];

/**
 * Plain renames (DEPRECATION_README): the new name's default is the old name, so the value carries over.
 * Postfix 3.11 and later log "support for parameter ... will be removed".
 */
const RENAMES: ReadonlyMap<string, string> = new Map([
  ['virtual_maps', 'virtual_alias_maps'],
  ['authorized_verp_clients', 'smtpd_authorized_verp_clients'],
  ['fallback_relay', 'smtp_fallback_relay'],
  ['postscreen_blacklist_action', 'postscreen_denylist_action'],
  ['postscreen_whitelist_interfaces', 'postscreen_allowlist_interfaces'],
  ['postscreen_dnsbl_whitelist_threshold', 'postscreen_dnsbl_allowlist_threshold'],
  ['postscreen_dnsbl_ttl', 'postscreen_dnsbl_max_ttl'],
  ['smtpd_client_connection_limit_exceptions', 'smtpd_client_event_limit_exceptions'],
  ['smtpd_per_record_deadline', 'smtpd_per_request_deadline'],
  ['smtp_per_record_deadline', 'smtp_per_request_deadline'],
  ['lmtp_per_record_deadline', 'lmtp_per_request_deadline'],
  ['tlsproxy_client_level', 'tlsproxy_client_security_level'],
  ['tlsproxy_client_policy', 'tlsproxy_client_policy_maps'],
]);

/** Settings current Postfix ignores or wants left at the default: [why, since when]. */
const OBSOLETE: ReadonlyMap<string, readonly [string, Release]> = new Map<string, readonly [string, Release]>([
  ['smtpd_tls_eecdh_grade', ['ignored since Postfix 3.6', [3, 6, 0]]],
  ['smtpd_tls_dh512_param_file', ['ignored since Postfix 3.6', [3, 6, 0]]],
  ['smtpd_tls_dh1024_param_file', ['deprecated since Postfix 3.9 (leave the default)', [3, 9, 0]]],
  ['smtp_cname_overrides_servername', ['deprecated since Postfix 3.11 (leave the default)', [3, 11, 0]]],
  ['lmtp_cname_overrides_servername', ['deprecated since Postfix 3.11 (leave the default)', [3, 11, 0]]],
]);

/** Tables replaced by a table of another format: no mechanical fix. */
const REPLACED_TABLES: ReadonlyMap<string, string> = new Map([
  ['smtp_tls_per_site', 'smtp_tls_policy_maps'],
  ['lmtp_tls_per_site', 'lmtp_tls_policy_maps'],
]);

const groupOf = (name: string) => GROUPS.find((g) => g.members.includes(name));

/** The whole lines of a main.cf statement, for deleting it without leaving a blank line. */
function statementLines(main: MainCf, p: MainCfParameter): Span {
  const start = main.lines.lineStart(p.firstLine);
  const end = p.lastLine + 1 < main.lines.lineCount ? main.lines.lineStart(p.lastLine + 1) : main.lines.lineEnd(p.lastLine);
  return { start, end };
}

/** Deletes `-o name=value`: its whole line when it stands alone, else it and the blanks before it. */
function removeOverride(master: MasterCf, o: MasterCfOverride): SpanEdit {
  const text = master.source.text;
  const first = master.lines.positionAt(o.span.start).line;
  const last = master.lines.positionAt(o.span.end).line;
  const lineStart = master.lines.lineStart(first);
  const lineEnd = master.lines.lineEnd(last);
  if (text.slice(lineStart, o.span.start).trim() === '' && text.slice(o.span.end, lineEnd).trim() === '') {
    const end = last + 1 < master.lines.lineCount ? master.lines.lineStart(last + 1) : lineEnd;
    return { span: { start: lineStart, end }, newText: '' };
  }
  let start = o.span.start;
  while (start > lineStart && /[ \t]/.test(text[start - 1])) start--;
  return { span: { start, end: o.span.end }, newText: '' };
}

/** Obsolete parameters Postfix still reads (or silently ignores) that have a modern replacement. */
export const deprecatedParameter: PostfixRule = {
  meta: {
    id: 'postfix/deprecated-parameter',
    description: 'An obsolete parameter (smtpd_use_tls, virtual_maps, smtpd_tls_eecdh_grade, ...) that current Postfix renames, replaces or ignores.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    const main = instance.main;
    const mainGet = (name: string) => main?.effective.get(name)?.value ?? POSTFIX_DEFAULTS.get(name);

    const target = instance.target.release;
    // A rename helps only where the new name exists (postscreen_denylist_action is Postfix 3.6+).
    const renameOf = (name: string) => {
      const to = RENAMES.get(name);
      return to && targetHasParameter(to, target) !== false ? to : undefined;
    };

    for (const p of main ? main.effective.values() : []) {
      const m = main!;
      if (isTemplated(p.name)) continue;
      const obsolete = OBSOLETE.get(p.name);
      if (obsolete) {
        if (compareReleases(target, obsolete[1]) < 0) continue;
        report({
          file: 'main',
          span: p.nameSpan,
          message: `"${p.name}" is ${obsolete[0]}; remove it.`,
          fixes: [{ title: 'Remove the obsolete setting', edits: [{ span: statementLines(m, p), newText: '' }], preferred: true }],
        });
        continue;
      }
      const table = REPLACED_TABLES.get(p.name);
      if (table) {
        report({ file: 'main', span: p.nameSpan, message: `"${p.name}" is obsolete; move its entries to ${table} (a different table format).` });
        continue;
      }
      const rename = renameOf(p.name);
      if (rename) {
        const modern = m.effective.get(rename);
        report({
          file: 'main',
          span: p.nameSpan,
          message: modern
            ? `"${p.name}" has no effect: "${rename}" on line ${modern.firstLine + 1} replaces it; remove this line.`
            : `"${p.name}" is obsolete; rename it to "${rename}".`,
          fixes: [
            modern
              ? { title: 'Remove the obsolete setting', edits: [{ span: statementLines(m, p), newText: '' }], preferred: true }
              : { title: `Rename to "${rename}"`, edits: [{ span: p.nameSpan, newText: rename }], preferred: true },
          ],
        });
        continue;
      }
      const group = groupOf(p.name);
      if (!group) continue;
      const modern = m.effective.get(group.target);
      const others = group.members.filter((n) => n !== p.name).flatMap((n) => m.effective.get(n) ?? []);
      if (modern && modern.value.trim() !== '') {
        report({
          file: 'main',
          span: p.nameSpan,
          message: `"${p.name}" is ignored: "${group.target}" on line ${modern.firstLine + 1} takes precedence; remove this line.`,
          fixes: [{ title: 'Remove the obsolete setting', edits: [{ span: statementLines(m, p), newText: '' }], preferred: true }],
        });
        continue;
      }
      const level = group.level(mainGet);
      const removeOthers = others.map((o) => ({ span: statementLines(m, o), newText: '' }));
      if (level === undefined) {
        report({
          file: 'main',
          span: p.nameSpan,
          message: `"${p.name}" is obsolete and changes nothing here; remove it.`,
          fixes: [{ title: 'Remove the obsolete setting', edits: [{ span: statementLines(m, p), newText: '' }, ...removeOthers], preferred: true }],
        });
        continue;
      }
      report({
        file: 'main',
        span: p.nameSpan,
        message: `"${p.name}" is obsolete; write "${group.target} = ${level}" instead${others.length ? ` (it replaces ${others.map((o) => o.name).join(', ')} too)` : ''}.`,
        fixes: [
          {
            title: `Replace with "${group.target} = ${level}"`,
            edits: [{ span: p.statementSpan, newText: `${group.target} = ${level}` }, ...removeOthers],
            preferred: true,
          },
        ],
      });
    }

    const master = instance.master;
    for (const s of master?.services ?? []) {
      const overrideOf = (name: string) => [...s.overrides].reverse().find((o) => o.name === name);
      for (const o of s.overrides) {
        if (overrideOf(o.name) !== o) continue;
        const rename = renameOf(o.name);
        const group = groupOf(o.name);
        const target = rename ?? group?.target;
        if (!target) continue;
        const modern = overrideOf(target);
        if (modern) {
          report({
            file: 'master',
            span: o.nameSpan,
            message: `"-o ${o.name}" is ignored: this service also sets "${target}"; remove this -o.`,
            fixes: [{ title: 'Remove the obsolete -o', edits: [removeOverride(master!, o)], preferred: true }],
          });
          continue;
        }
        if (rename) {
          report({
            file: 'master',
            span: o.nameSpan,
            message: `"${o.name}" is obsolete; rename it to "${rename}".`,
            fixes: [{ title: `Rename to "${rename}"`, edits: [{ span: o.nameSpan, newText: rename }], preferred: true }],
          });
          continue;
        }
        const g = group!;
        // This service's own switches, falling back to main.cf; "none" is spelt out because main.cf may say otherwise.
        const level = g.level((n) => overrideOf(n)?.value ?? mainGet(n)) ?? (g.target.endsWith('dns_support_level') ? 'enabled' : 'none');
        const others = g.members.filter((n) => n !== o.name).flatMap((n) => overrideOf(n) ?? []);
        const mainLevel = main?.effective.get(g.target)?.value.trim();
        const ignored = mainLevel ? ` (ignored now: main.cf sets ${g.target})` : '';
        report({
          file: 'master',
          span: o.nameSpan,
          message: `"${o.name}" is obsolete; use "-o ${g.target}=${level}" instead${ignored}.`,
          fixes: [
            {
              title: `Replace with "${g.target}=${level}"`,
              edits: [{ span: { start: o.nameSpan.start, end: o.valueSpan.end }, newText: `${g.target}=${level}` }, ...others.map((x) => removeOverride(master!, x))],
              preferred: true,
            },
          ],
        });
      }
    }
  },
};
