import type { Fix, Severity } from '../../model';
import type { OptionValue } from '../transport';
import type { TransportRule } from '../transportRule';

const OLD_VERSIONS = new Set(['SSLv3', 'TLSv1', 'TLSv1.1']);
const FAILING_METHODS = /^(SSLv2|SSLv3|TLSv1|TLSv1_1)(_client)?_method$/;

interface Problem {
  readonly severity?: Severity;
  readonly message: string;
  /** False when removing the setting may cut off the server it was added for. */
  readonly removable?: boolean;
}

function cipherProblem(value: string): Problem | undefined {
  const tokens = value.split(/[:, ]+/).map((t) => t.replace(/^[!+-]/, ''));
  if (tokens.some((t) => t === 'SSLv3' || t === 'SSLv2')) {
    return {
      message:
        `tls.ciphers is ${JSON.stringify(value)}, a work-around copied from old answers (Outlook/Office 365, "wrong ` +
        `version number"): "SSLv3" is no protocol switch but an OpenSSL cipher group, the old CBC ciphers without ` +
        `forward secrecy. It fixes nothing: with TLS 1.3 (set apart by OpenSSL) it does nothing at all, with a TLS ` +
        `1.2 server it downgrades to AES256-SHA-like ciphers, and a server that allows only modern (GCM) ciphers ` +
        `refuses the handshake ("sslv3 alert handshake failure").` +
        ` Remove it; for "wrong version number" use secure: false on port 587 (nodemailer/secure-port-mismatch).`,
    };
  }
  if (/@SECLEVEL=0/i.test(value)) {
    return {
      removable: false,
      message:
        `tls.ciphers ${JSON.stringify(value)} sets OpenSSL's security level to 0: short keys, SHA-1 signatures and TLS ` +
        `1.0/1.1 become acceptable. A server that needs this should be upgraded; if it cannot be, keep the setting ` +
        `to that transport only.`,
    };
  }
  return undefined;
}

function problemOf(name: string, o: OptionValue): Problem | undefined {
  const v = o.value;
  if (typeof v !== 'string') return undefined;
  switch (name) {
    case 'tls.ciphers':
      return cipherProblem(v);
    case 'tls.secureProtocol':
      if (!FAILING_METHODS.test(v)) return undefined;
      return /^SSLv[23]/.test(v)
        ? {
            severity: 'warning',
            message: `tls.secureProtocol is ${JSON.stringify(v)}: Node refuses it before connecting ("SSLv3 methods disabled", ERR_TLS_INVALID_PROTOCOL_METHOD). Remove it: Node negotiates the best TLS version on its own.`,
          }
        : {
            severity: 'warning',
            message:
              `tls.secureProtocol is ${JSON.stringify(v)}: it pins TLS 1.0/1.1, which OpenSSL 3 refuses at its default ` +
              `security level and current servers refuse too ("no protocols available", "tlsv1 alert protocol version"). ` +
              `Remove it: Node negotiates TLS 1.2 or 1.3 on its own.`,
          };
    case 'tls.minVersion':
      if (!OLD_VERSIONS.has(v)) return undefined;
      return {
        message:
          `tls.minVersion is ${JSON.stringify(v)}, copied to reach old servers: it does nothing useful, since OpenSSL 3 ` +
          `still refuses TLS 1.0/1.1 at its default security level ("legacy sigalg disallowed or unsupported"), and ` +
          `every current server speaks TLS 1.2. Remove it (Node's default is TLSv1.2).`,
      };
    case 'tls.maxVersion':
      if (!OLD_VERSIONS.has(v)) return undefined;
      return {
        severity: 'warning',
        message:
          `tls.maxVersion is ${JSON.stringify(v)}: it forbids TLS 1.2 and 1.3, so with OpenSSL 3 no protocol is left ` +
          `("no protocols available", ERR_SSL_NO_PROTOCOLS_AVAILABLE). Remove it.`,
      };
    default:
      return undefined;
  }
}

/** Copied TLS work-arounds: ciphers 'SSLv3', secureProtocol 'TLSv1_method', minVersion/maxVersion 'TLSv1'. */
export const legacyCiphers: TransportRule = {
  meta: {
    id: 'nodemailer/legacy-ciphers',
    description: "Copied TLS work-arounds (tls.ciphers 'SSLv3', secureProtocol 'TLSv1_method', minVersion 'TLSv1') that fix nothing or break TLS.",
    defaultSeverity: 'information',
    fixable: true,
  },
  check(t, report) {
    const def = t.definition;
    for (const name of ['tls.ciphers', 'tls.secureProtocol', 'tls.minVersion', 'tls.maxVersion']) {
      const o = def.options.get(name);
      const problem = o && problemOf(name, o);
      if (!o || !problem) continue;
      const key = name.slice(4);
      const fixes: Fix[] | undefined =
        problem.removable !== false && o.removeRange && o.literal && o.file === def.file ? [{ title: `Remove ${key}`, edits: [{ range: o.removeRange, newText: '' }], preferred: true }] : undefined;
      report({ option: name, severity: problem.severity, message: problem.message, fixes });
    }
  },
};
