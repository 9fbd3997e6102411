import { masterCfAnchor } from '../anchors';
import type { MasterCf } from '../masterCf';
import type { PostfixInstance } from '../instance';
import type { PostfixRule, SpanEdit } from '../postfixRule';
import { listTokens, listensOnLoopbackOnly } from '../serviceScope';
import { isTemplated } from '../template';

/** The port part of an inet service name: `submission`, `587`, `127.0.0.1:587`, `[::1]:587`. */
function portOf(name: string): string {
  return name.startsWith('[') ? name.slice(name.indexOf(']') + 2) : name.slice(name.lastIndexOf(':') + 1);
}
const isSubmission = (name: string) => ['submission', '587'].includes(portOf(name));
const isSubmissions = (name: string) => ['submissions', 'smtps', '465'].includes(portOf(name));

const STANDARD_SUBMISSION =
  'submission inet n       -       y       -       -       smtpd\n' +
  '  -o syslog_name=postfix/submission\n' +
  '  -o smtpd_tls_security_level=encrypt\n' +
  '  -o smtpd_sasl_auth_enable=yes\n' +
  '  -o smtpd_tls_auth_only=yes\n' +
  '  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject\n';

/**
 * Edits that uncomment a commented-out service line and the `#  -o ...` lines below it. Indented prose
 * inside the block (Debian's "#     Instead of specifying ...") stays a comment, which Postfix skips even
 * inside a service entry; "# Text" with one space, or "#name" (the next service), ends the block.
 */
function uncommentEdits(master: MasterCf, line: number): SpanEdit[] {
  const byLine = new Map(master.comments.map((c) => [c.line, c]));
  const first = byLine.get(line);
  if (!first) return [];
  // The service line loses everything up to and including "#", so it starts in column 0 again.
  const edits: SpanEdit[] = [{ span: { start: master.lines.lineStart(line), end: first.start + 1 }, newText: '' }];
  for (let l = line + 1; ; l++) {
    const c = byLine.get(l);
    const body = c ? master.source.text.slice(c.start + 1, c.end) : '';
    if (c && /^[ \t]+-o/.test(body)) edits.push({ span: { start: c.start, end: c.start + 1 }, newText: '' });
    // Deeper-indented prose belongs to the block; "# Text" (one space) or "#service" starts something else.
    else if (!c || !/^(\t|  )[ \t]*\S/.test(body)) break;
  }
  return edits;
}

/**
 * A server that accepts SMTP but has no submission service (port 587): mail clients then have to send
 * through port 25, which many networks block and which is meant for server-to-server mail.
 */
export const submissionDisabled: PostfixRule = {
  meta: {
    id: 'postfix/submission-disabled',
    description: 'A server that holds mailboxes for its domains runs an SMTP server but no submission service on port 587.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    const master = instance.master;
    if (!master || master.template?.opaque) return;
    const inet = master.services.filter((s) => s.fields[1]?.text === 'inet');
    // A send-only box (no smtpd/postscreen listening for others) has no users to submit mail; nothing to say.
    const servers = inet.filter((s) => ['smtpd', 'postscreen'].includes(s.fields[7]?.text ?? '') && !listensOnLoopbackOnly(instance, s));
    if (!servers.length) return;
    // Port 587 present (perhaps only under a template condition), or implicit-TLS submission on 465 (RFC 8314).
    if (inet.some((s) => isSubmission(s.fields[0].text) || isSubmissions(s.fields[0].text) || isTemplated(s.fields[0].text))) return;
    // Only a server that holds mailboxes has users who submit mail: a relay, null client or gateway has none.
    if (!mailboxDomains(instance)) return;

    // Debian ships both "#127.0.0.1:submission" (bare) and "#submission" with its -o lines: take the fuller one.
    const candidates = master.commentedServices.filter((c) => c.type === 'inet' && isSubmission(c.name));
    const score = (c: (typeof candidates)[number]) => uncommentEdits(master, c.line).length * 2 + (c.name.includes(':') ? 0 : 1);
    const commented = candidates.reduce<(typeof candidates)[number] | undefined>((best, c) => (!best || score(c) > score(best) ? c : best), undefined);
    if (commented) {
      report({
        file: 'master',
        span: commented.span,
        message: 'The submission service (port 587) is commented out, so mail clients must send on port 25; uncomment it.',
        fixes: [{ title: 'Uncomment the submission service', edits: uncommentEdits(master, commented.line), preferred: true }],
      });
      return;
    }
    const text = master.source.text;
    const end = text.length;
    report({
      file: 'master',
      span: masterCfAnchor(master),
      message: 'No submission service (port 587): mail clients must send on port 25; add one that requires TLS and a login.',
      fixes: [
        {
          title: 'Add a submission service on port 587',
          edits: [{ span: { start: end, end }, newText: (end > 0 && !text.endsWith('\n') ? '\n' : '') + STANDARD_SUBMISSION }],
          preferred: true,
        },
      ],
    });
  },
};

/** Whether main.cf delivers mail for domains of its own (mailboxes whose users send mail), as far as it says. */
function mailboxDomains(instance: PostfixInstance): boolean {
  const main = instance.main;
  if (!main || main.template?.opaque) return false;
  const literal = (name: string) => listTokens(main.effective.get(name)?.value ?? '').filter((t) => !isTemplated(t.text));
  const myhostname = main.effective.get('myhostname')?.value.trim().toLowerCase();
  const own = literal('mydestination').filter((t) => !MACHINE_ONLY.has(t.text.toLowerCase()) && t.text.toLowerCase() !== myhostname);
  return own.length > 0 || literal('virtual_mailbox_domains').length > 0 || literal('virtual_alias_domains').length > 0;
}

/** mydestination entries that name only this machine (Postfix's default list), not a mail domain. */
const MACHINE_ONLY = new Set(['$myhostname', '${myhostname}', '$(myhostname)', 'localhost', 'localhost.localdomain', 'localhost.$mydomain', 'localhost.${mydomain}', 'localhost.$(mydomain)']);
