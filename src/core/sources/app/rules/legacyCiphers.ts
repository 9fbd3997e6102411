import type { Fix, Severity } from '../../../model';
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
      message: `tls.ciphers ${JSON.stringify(value)} is a copied work-around that only weakens or breaks TLS; remove it.`,
    };
  }
  if (/@SECLEVEL=0/i.test(value)) {
    return {
      removable: false,
      message: `tls.ciphers ${JSON.stringify(value)} lowers OpenSSL's security level to 0; keep it only for a server that cannot be upgraded.`,
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
            message: `tls.secureProtocol ${JSON.stringify(v)} is refused by Node before connecting; remove it (Node picks the TLS version).`,
          }
        : {
            severity: 'warning',
            message: `tls.secureProtocol ${JSON.stringify(v)} pins TLS 1.0/1.1, which OpenSSL 3 and servers refuse; remove it.`,
          };
    case 'tls.minVersion':
      if (!OLD_VERSIONS.has(v)) return undefined;
      return {
        message: `tls.minVersion ${JSON.stringify(v)} does nothing useful (OpenSSL 3 still refuses TLS 1.0/1.1); remove it.`,
      };
    case 'tls.maxVersion':
      if (!OLD_VERSIONS.has(v)) return undefined;
      return {
        severity: 'warning',
        message: `tls.maxVersion ${JSON.stringify(v)} forbids TLS 1.2 and 1.3, so no protocol is left; remove it.`,
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
