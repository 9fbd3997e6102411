// The servers of the mail world (test/net/mailWorld.test.ts and the bench): one real Postfix per kind of
// trouble, each on its own loopback address with ports 25, 587 and 465 inside the world's namespace, and the
// `test.` zone that makes each the MX of a domain of its own.
import * as crypto from 'crypto';
import { type PostfixPeer, startPostfix } from './postfix';
import type { TestCerts } from './testCerts';

/** Postfix settings of a server that speaks only TLS 1.0 and 1.1 (Debian's OpenSSL needs @SECLEVEL=0 for them). */
export const OLD_TLS_MAIN = ['smtpd_tls_protocols = <=TLSv1.1', 'smtpd_tls_mandatory_protocols = <=TLSv1.1', 'tls_medium_cipherlist = DEFAULT:@SECLEVEL=0', 'tls_high_cipherlist = DEFAULT:@SECLEVEL=0'];
/** What a well-kept server sets: TLS 1.2 and newer, no anonymous suites. */
export const MODERN_TLS_MAIN = ['smtpd_tls_protocols = >=TLSv1.2', 'smtpd_tls_mandatory_protocols = >=TLSv1.2', 'smtpd_tls_exclude_ciphers = aNULL'];

export type ServerKind = 'good' | 'expired' | 'plain' | 'old' | 'relay';

export const WORLD_ADDRESSES: Readonly<Record<ServerKind, string>> = { good: '127.0.0.10', expired: '127.0.0.11', plain: '127.0.0.12', old: '127.0.0.13', relay: '127.0.0.14' };

/** The SHA-256 of a certificate's public key: a TLSA 3 1 1 record's data. */
export function spki311(pem: string): string {
  return crypto.createHash('sha256').update(new crypto.X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** The signed test. zone: domain KIND.test with MX mx.KIND.test at the server's address; DANE for good.test. */
export function worldTestZone(certs: TestCerts): string[] {
  return [
    ...(Object.entries(WORLD_ADDRESSES) as [ServerKind, string][]).flatMap(([kind, address]) => [`${kind} MX 10 mx.${kind}.test.`, `mx.${kind} A ${address}`]),
    `_25._tcp.mx.good TLSA 3 1 1 ${spki311(certs.good.cert)}`,
  ];
}

/** An unsigned child zone whose first MX host publishes TLSA and whose second does not (the good server behind both). */
export const UNSIGNED_ZONE = (certs: TestCerts) => ({
  name: 'unsigned.test',
  records: ['@ MX 10 mx1.unsigned.test.', '@ MX 20 mx2.unsigned.test.', `mx1 A ${WORLD_ADDRESSES.good}`, `mx2 A ${WORLD_ADDRESSES.good}`, `_25._tcp.mx1 TLSA 3 1 1 ${spki311(certs.good.cert)}`],
});

/** Starts the five servers in `netns`; each trusts only its own address (mynetworks), so test clients are strangers. */
export async function startWorldServers(netns: string, certs: TestCerts): Promise<Record<ServerKind, PostfixPeer>> {
  const common = (kind: ServerKind) => ({ netns, address: WORLD_ADDRESSES[kind], ports: { smtp: 25, submission: 587, smtps: 465 }, myhostname: `mx.${kind}.test` });
  const own = (kind: ServerKind) => [`mynetworks = ${WORLD_ADDRESSES[kind]}/32`, 'smtpd_error_sleep_time = 0'];
  const [good, expired, plain, old, relay] = await Promise.all([
    startPostfix({ ...common('good'), cert: certs.good, main: [...own('good'), ...MODERN_TLS_MAIN] }),
    startPostfix({ ...common('expired'), cert: certs.expired, main: [...own('expired'), ...MODERN_TLS_MAIN] }),
    startPostfix({ ...common('plain'), cert: certs.good, main: [...own('plain'), 'smtpd_tls_security_level = none'] }),
    startPostfix({ ...common('old'), cert: certs.good, main: [...own('old'), ...OLD_TLS_MAIN] }),
    // Open through an access table that lets every client address relay, which no static rule can see into.
    startPostfix({
      ...common('relay'),
      cert: certs.good,
      main: [...own('relay'), ...MODERN_TLS_MAIN, 'smtpd_relay_restrictions = permit_mynetworks, check_client_access cidr:$config_directory/clients.cidr, reject_unauth_destination'],
      files: { 'clients.cidr': '0.0.0.0/0 OK\n' },
    }),
  ]);
  return { good, expired, plain, old, relay };
}
