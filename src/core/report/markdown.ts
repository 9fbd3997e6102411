// A Markdown report to paste into an issue or a chat: findings by file, endpoints, live probe facts.
// Pure; free text goes through redactText, so no credential reaches the clipboard.
import { markdownTableCell } from '../escape';
import { redactText } from '../redact';
import type { SmtpProbeResult } from '../live/probeTypes';
import { AUTH_CHECK_LABELS } from '../live/mailAuth/labels';
import type { Report } from './report';

/** Text safe inside a table cell: credentials masked, no pipes or line breaks. */
function cell(text: string): string {
  return markdownTableCell(redactText(text)).trim();
}

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  const t = cell(text);
  return t.includes('`') ? `\`\` ${t} \`\`` : `\`${t}\``;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function probeFacts(p: SmtpProbeResult): string[] {
  const facts: string[] = [];
  if (p.address && p.address !== p.host) facts.push(p.address);
  if (p.status !== 'open' && p.detail) facts.push(p.detail);
  if (p.banner) facts.push(`"${redactText(p.banner.split('\n')[0]).slice(0, 80)}"`);
  if (p.extensions) {
    facts.push('STARTTLS' in p.extensions ? 'STARTTLS' : 'no STARTTLS');
    const auth = p.extensionsAfterTls?.AUTH ?? p.extensions.AUTH;
    if (auth) facts.push(`AUTH ${auth}`);
  }
  if (p.status === 'open' && p.detail) facts.push(p.detail);
  if (p.tls) {
    if (p.tls.error) facts.push(`TLS failed: ${p.tls.error}`);
    else {
      facts.push([p.tls.mode === 'implicit' ? 'implicit TLS' : 'STARTTLS', p.tls.version, p.tls.cipher].filter(Boolean).join(' '));
      const c = p.tls.certificate;
      if (c) {
        const validity = c.daysLeft < 0 ? `cert expired ${-c.daysLeft} days ago` : `cert valid ${c.daysLeft} days`;
        facts.push(`${validity}${c.trusted ? '' : ` (untrusted${c.trustError ? `: ${c.trustError}` : ''})`}${c.hostnameMatches ? '' : ' (other name)'}`);
      }
    }
  }
  return facts;
}

/** Every finding by file (not folded by root cause: a pasted report lists each rule), endpoints, live facts. */
export function formatMarkdown(input: Report): string {
  const out: string[] = [];
  out.push(`# SMTP Doctor report${input.title ? ` — ${cell(input.title)}` : ''}`, '');
  if (input.generatedAt) out.push(`_Generated ${cell(input.generatedAt)}_`, '');

  const count = (s: string) => input.findings.filter((f) => f.severity === s).length;
  const errors = count('error');
  const warnings = count('warning');
  const others = input.findings.length - errors - warnings;
  const files = [...new Set(input.findings.map((f) => f.file))];
  out.push(`**${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${others} other** in ${plural(files.length, 'file')}.`, '');

  out.push('## Findings', '');
  if (!input.findings.length) out.push('No findings.', '');
  for (const file of files.sort()) {
    out.push(`### ${code(file)}`, '', '| Line | Severity | Rule | Message |', '| ---: | --- | --- | --- |');
    const inFile = input.findings.filter((f) => f.file === file).sort((a, b) => a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : 1));
    for (const f of inFile) out.push(`| ${f.line}:${f.column} | ${f.severity} | ${code(f.rule)} | ${cell(f.message)} |`);
    out.push('');
  }

  out.push('## SMTP endpoints', '');
  if (!input.endpoints.length) out.push('No SMTP endpoints found.', '');
  else {
    out.push('| Host | Port | Security | Auth | Defined at |', '| --- | ---: | --- | --- | --- |');
    for (const e of input.endpoints) {
      const env = e.env.length ? ` (${e.env.map((v) => `${v.option} from $${v.variable}${v.file ? ` at ${v.file}:${v.line}` : ''}`).join(', ')})` : '';
      out.push(`| ${e.host ? code(e.host) : '_unresolved_'} | ${e.port ?? '_unresolved_'} | ${e.security} | ${e.authPresent ? 'yes' : 'no'} | ${cell(`${e.file}:${e.line} (${e.source})${env}`)} |`);
    }
    out.push('');
  }

  const live = input.live;
  if (live) {
    out.push('## Live checks', '');
    if (live.incomplete) out.push('_Incomplete: the run was cancelled or hit its deadline._', '');
    if (!live.probes.length && !live.mx.length && !live.ptr.length && !live.outbound25.length && !live.auth?.length) out.push('No live results.', '');
    if (live.probes.length) {
      out.push('### SMTP probes', '', '| Host:port | Status | Facts | Time |', '| --- | --- | --- | ---: |');
      const sorted = [...live.probes].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : a.port - b.port));
      for (const p of sorted) out.push(`| ${code(`${p.host}:${p.port}`)} | ${p.status} | ${cell(probeFacts(p).join(' · '))} | ${Math.round(p.timings.total)} ms |`);
      out.push('');
    }
    if (live.mx.length) {
      out.push('### MX', '', '| Domain | Status | Hosts |', '| --- | --- | --- |');
      for (const m of live.mx) {
        const hosts = m.hosts.map((h) => `${h.priority} ${h.exchange}${h.addresses.length ? ` (${h.addresses.join(', ')})` : ' (no address)'}`).join(', ');
        out.push(`| ${code(m.domain)} | ${m.status} | ${cell(hosts || m.fallbackAddresses?.join(', ') || m.error || '')} |`);
      }
      out.push('');
    }
    if (live.ptr.length) {
      out.push('### Reverse DNS', '', '| Address | Status | Names |', '| --- | --- | --- |');
      for (const r of live.ptr) out.push(`| ${code(r.address)} | ${r.status} | ${cell(`${r.names.join(', ') || r.error || ''}${r.forwardConfirmed ? ' (forward-confirmed)' : ''}`)} |`);
      out.push('');
    }
    if (live.auth?.length) {
      out.push('### Mail authentication', '', '| Subject | Check | Result | Summary |', '| --- | --- | --- | --- |');
      for (const a of live.auth) {
        const verdict = a.error ? 'not checked' : a.problems.length ? `${a.problems.length} problem${a.problems.length === 1 ? '' : 's'}` : 'ok';
        out.push(`| ${code(a.subject)} | ${AUTH_CHECK_LABELS[a.check]} | ${verdict} | ${cell(a.error ?? a.summary)} |`);
      }
      out.push('');
    }
    for (const d of live.outbound25) out.push(`**Outbound port 25 (${cell(d.host)}): ${d.verdict}.** ${cell(`${d.summary} ${d.recommendation}`)}`, '');
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}
