import { masterCfAnchor } from '../anchors';
import type { MasterCf } from '../masterCf';
import type { PostfixRule, SpanEdit } from '../postfixRule';

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
    description: 'master.cf runs an SMTP server but no submission service on port 587 for mail clients.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    const master = instance.master;
    if (!master) return;
    const inet = master.services.filter((s) => s.fields[1]?.text === 'inet');
    // A send-only box (no smtpd/postscreen listening) has no users to submit mail; nothing to say.
    if (!inet.some((s) => ['smtpd', 'postscreen'].includes(s.fields[7]?.text ?? ''))) return;
    // Port 587 present, or implicit-TLS submission on 465 (RFC 8314) serving clients instead.
    if (inet.some((s) => isSubmission(s.fields[0].text) || isSubmissions(s.fields[0].text))) return;

    // Debian ships both "#127.0.0.1:submission" (bare) and "#submission" with its -o lines: take the fuller one.
    const candidates = master.commentedServices.filter((c) => c.type === 'inet' && isSubmission(c.name));
    const score = (c: (typeof candidates)[number]) => uncommentEdits(master, c.line).length * 2 + (c.name.includes(':') ? 0 : 1);
    const commented = candidates.reduce<(typeof candidates)[number] | undefined>((best, c) => (!best || score(c) > score(best) ? c : best), undefined);
    const why =
      'Mail clients (Thunderbird, Outlook, phones) send on port 587 with STARTTLS and a password; without it they must ' +
      'use port 25, which many ISPs block and where your relay restrictions (rightly) refuse to relay for them.';
    if (commented) {
      report({
        file: 'master',
        span: commented.span,
        message: `The submission service (port 587) is commented out, so Postfix does not listen on port 587. ${why} Uncomment it and its -o lines (check that any $mua_* names it references are defined in main.cf).`,
        fixes: [{ title: 'Uncomment the submission service', edits: uncommentEdits(master, commented.line), preferred: true }],
      });
      return;
    }
    const text = master.source.text;
    const end = text.length;
    report({
      file: 'master',
      span: masterCfAnchor(master),
      message: `master.cf has no submission service (port 587). ${why} Add a submission service that requires TLS and SASL authentication.`,
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
