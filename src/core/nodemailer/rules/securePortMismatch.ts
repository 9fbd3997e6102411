import type { Fix, Range, TextEdit } from '../../model';
import type { TransportRule } from '../transportRule';
import { isDirect, parsedUrl, rangeInValue, replaceLiteral, shown } from './common';

/**
 * `secure` that does not match the port: TLS from the first byte on a STARTTLS port (587, 25), or plain
 * text on the implicit-TLS port 465. Both fail on the first connection.
 */
export const securePortMismatch: TransportRule = {
  meta: {
    id: 'nodemailer/secure-port-mismatch',
    description: '`secure` does not match the port: TLS at once on 587/25, or plain text on 465.',
    defaultSeverity: 'error',
    fixable: true,
  },
  check(t, report) {
    const def = t.definition;
    const port = t.port.value;
    const secure = t.secure.value;
    if (port === undefined || secure === undefined || isDirect(t)) return;
    if (t.secure.origin === 'default') {
      // Not given at all: nodemailer makes the port follow secure, and secures port 465 on its own (so
      // requireTLS is moot there). Settings other frameworks read (Django's EMAIL_USE_TLS, ...) mean STARTTLS.
      const req = def.options.get('requireTLS');
      if (port !== 465 || (def.client !== 'django' && def.client !== 'laravel') || t.requireTLS !== true || !req || t.port.origin !== 'option') return;
      const edit = replaceLiteral(t.port.option, '587');
      report({
        option: 'port',
        message:
          `${req.env ? req.env.name : 'requireTLS'} asks for STARTTLS, but port 465 expects TLS from the first byte ` +
          `(implicit TLS): a client that does what the setting says waits for a plain-text greeting that never comes ` +
          `and times out ("Greeting never received", Python's "SMTPServerDisconnected: Connection unexpectedly ` +
          `closed"). Use port 587 for STARTTLS, or implicit TLS (secure / EMAIL_USE_SSL) on port 465.`,
        fixes: edit ? [{ title: 'Use port 587', edits: [edit], preferred: true }] : undefined,
      });
      return;
    }
    const tlsOnPlainPort = secure && (port === 25 || port === 587);
    const plainOnTlsPort = !secure && port === 465;
    if (!tlsOnPlainPort && !plainOnTlsPort) return;

    const symptom = tlsOnPlainPort
      ? `nodemailer starts TLS at once, but a server on port ${port} first speaks plain SMTP (STARTTLS), so the ` +
        `handshake fails with "ssl3_get_record:wrong version number" (ESOCKET).`
      : `port 465 expects TLS from the first byte (implicit TLS), so nodemailer waits for a plain-text greeting ` +
        `that never comes and gives up with "Greeting never received" (ETIMEDOUT).`;
    const advice = tlsOnPlainPort
      ? `Use secure: false on port ${port} (with requireTLS: true to insist on STARTTLS), or port 465 with secure: true.`
      : `Use secure: true on port 465, or port 587 with secure: false and requireTLS: true.`;

    const portOption = t.port.origin === 'option' ? t.port.option : undefined;
    const portFix = (): Fix | undefined => {
      const edit = replaceLiteral(portOption, tlsOnPlainPort ? '465' : '587');
      return edit && { title: `Use port ${tlsOnPlainPort ? 465 : 587}`, edits: [edit] };
    };

    if (t.secure.origin === 'option' && t.secure.option) {
      const s = t.secure.option;
      const falseString = s.value === 'false';
      const what = falseString
        ? `secure is the string "false"${s.env ? ` (from ${s.env.name})` : ''}, and any non-empty string is truthy: ` +
          `nodemailer treats it as secure: true on port ${port}. Compare instead, e.g. ` +
          `secure: process.env.${s.env?.name ?? 'SMTP_SECURE'} === 'true'. `
        : `secure is ${shown(s)} but the port is ${port}: `;
      const flip = replaceLiteral(s, secure ? 'false' : 'true');
      const fixes = [
        flip && { title: `Set secure: ${secure ? 'false' : 'true'}`, edits: [flip], preferred: true },
        portFix(),
      ].filter((f): f is Fix => !!f);
      report({ option: 'secure', message: what + symptom + ' ' + advice, fixes: fixes.length ? fixes : undefined });
      return;
    }

    if (t.secure.origin === 'url') {
      const u = parsedUrl(t);
      if (!u) return;
      const scheme = u.url.secure ? 'smtps' : 'smtp';
      let range: Range | undefined;
      let option: string | undefined;
      if (t.port.origin === 'url' && u.url.portSpan) range = rangeInValue(def, u.option, u.url.portSpan.start, u.url.portSpan.end);
      if (!range) option = t.port.origin === 'option' ? 'port' : 'url';
      const schemeRange = rangeInValue(def, u.option, 0, u.text.indexOf(':'));
      const fixes: Fix[] = [];
      if (schemeRange) {
        fixes.push({ title: `Use ${secure ? 'smtp' : 'smtps'}://`, edits: [{ range: schemeRange, newText: secure ? 'smtp' : 'smtps' }], preferred: true });
      }
      const newPort = tlsOnPlainPort ? '465' : '587';
      const portEdit: TextEdit | undefined =
        t.port.origin === 'url' && u.url.portSpan
          ? (() => {
              const r = rangeInValue(def, u.option, u.url.portSpan.start, u.url.portSpan.end);
              return r && { range: r, newText: newPort };
            })()
          : replaceLiteral(portOption, newPort);
      if (portEdit) fixes.push({ title: `Use port ${newPort}`, edits: [portEdit] });
      report({
        option,
        range,
        message:
          `The URL's ${scheme}:// scheme means secure: ${secure} but the port is ${port}: ${symptom} ` +
          (tlsOnPlainPort
            ? `Use smtp:// on port ${port} (add ?requireTLS=true to insist on STARTTLS), or smtps:// with port 465.`
            : `Use smtps:// on port 465, or smtp:// with port 587 and ?requireTLS=true.`),
        fixes: fixes.length ? fixes : undefined,
      });
      return;
    }

    // The well-known service decides secure; the port came from elsewhere.
    report({
      option: t.secure.origin === 'service' ? 'service' : 'port',
      message: `The service sets secure: ${secure} but the port is ${port}: ${symptom} ${advice}`,
    });
  },
};
