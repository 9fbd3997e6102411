import type { Fix, Range, TextEdit } from '../../../model';
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
        message: `${req.env ? req.env.name : 'requireTLS'} asks for STARTTLS, but port 465 expects TLS at connect; use port 587 (or implicit TLS on 465).`,
        fixes: edit ? [{ title: 'Use port 587', edits: [edit], preferred: true }] : undefined,
      });
      return;
    }
    const tlsOnPlainPort = secure && (port === 25 || port === 587);
    const plainOnTlsPort = !secure && port === 465;
    if (!tlsOnPlainPort && !plainOnTlsPort) return;

    // The why, the error texts and examples are in docs/rules/nodemailer/secure-port-mismatch.md.
    const symptom = tlsOnPlainPort ? 'TLS at connect fails ("wrong version number")' : 'the greeting never comes';
    const advice = tlsOnPlainPort ? `use secure: false on ${port} (or port 465)` : 'use secure: true (or port 587)';
    // Settings no code of the workspace reads: which client reads them is not known, so not a certainty.
    const severity = def.source !== 'nodemailer' && def.client === 'unknown' ? ('warning' as const) : undefined;

    const portOption = t.port.origin === 'option' ? t.port.option : undefined;
    const portFix = (): Fix | undefined => {
      const edit = replaceLiteral(portOption, tlsOnPlainPort ? '465' : '587');
      return edit && { title: `Use port ${tlsOnPlainPort ? 465 : 587}`, edits: [edit] };
    };

    if (t.secure.origin === 'option' && t.secure.option) {
      const s = t.secure.option;
      const falseString = s.value === 'false';
      const message = falseString
        ? `secure is the string "false"${s.env ? ` (${s.env.name})` : ''}, which is true: on port ${port} ${symptom}; compare it to 'true'.`
        : `secure is ${shown(s)} on port ${port}: ${symptom}; ${advice}.`;
      const flip = replaceLiteral(s, secure ? 'false' : 'true');
      const fixes = [
        flip && { title: `Set secure: ${secure ? 'false' : 'true'}`, edits: [flip], preferred: true },
        portFix(),
      ].filter((f): f is Fix => !!f);
      report({ option: 'secure', severity, message, fixes: fixes.length ? fixes : undefined });
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
        severity,
        message: `${scheme}:// on port ${port}: ${symptom}; ${tlsOnPlainPort ? `use smtp:// on ${port} (or smtps:// on 465)` : 'use smtps:// (or smtp:// on 587)'}.`,
        fixes: fixes.length ? fixes : undefined,
      });
      return;
    }

    // The well-known service decides secure; the port came from elsewhere.
    report({
      option: t.secure.origin === 'service' ? 'service' : 'port',
      severity,
      message: `The service sets secure: ${secure} but the port is ${port}: ${symptom}; ${advice}.`,
    });
  },
};
