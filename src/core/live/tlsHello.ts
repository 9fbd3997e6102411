// Hand-built TLS ClientHellos and a reader for the server's first answer, for the TLS scan. A scan asks one
// question per connection ("would you speak TLS 1.0?", "would you pick an RC4 suite?") and needs only the
// ServerHello (or the alert) to know the answer, so no handshake is ever completed and no local TLS library
// limits what can be asked: Node's OpenSSL has no RC4, 3DES or export suites, but a server may still pick
// them. This is how testssl.sh and nmap's ssl-enum-ciphers ask too. Pure: bytes in, bytes out.

import { nodeCrypto } from './builtins';
import { isIP } from 'net';

export type TlsVersionName = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export const TLS_VERSIONS: readonly TlsVersionName[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

const VERSION_CODE: Readonly<Record<TlsVersionName, number>> = { TLSv1: 0x0301, 'TLSv1.1': 0x0302, 'TLSv1.2': 0x0303, 'TLSv1.3': 0x0304 };

export function versionName(code: number): TlsVersionName | undefined {
  return TLS_VERSIONS.find((v) => VERSION_CODE[v] === code);
}

/** Weak cipher families a server should not accept. */
export type WeakCipherFamily = 'anonymous' | 'export' | 'rc4' | '3des' | 'null';

export const WEAK_CIPHER_FAMILIES: readonly WeakCipherFamily[] = ['anonymous', 'export', 'rc4', '3des', 'null'];

/** IANA names of the cipher suites the scan offers, by code point (TLS Cipher Suites registry). */
export const CIPHER_SUITE_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0001, 'TLS_RSA_WITH_NULL_MD5'],
  [0x0002, 'TLS_RSA_WITH_NULL_SHA'],
  [0x0003, 'TLS_RSA_EXPORT_WITH_RC4_40_MD5'],
  [0x0004, 'TLS_RSA_WITH_RC4_128_MD5'],
  [0x0005, 'TLS_RSA_WITH_RC4_128_SHA'],
  [0x0006, 'TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5'],
  [0x0008, 'TLS_RSA_EXPORT_WITH_DES40_CBC_SHA'],
  [0x000a, 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0x000b, 'TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA'],
  [0x000e, 'TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA'],
  [0x0011, 'TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA'],
  [0x0013, 'TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA'],
  [0x0014, 'TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA'],
  [0x0016, 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0x0017, 'TLS_DH_anon_EXPORT_WITH_RC4_40_MD5'],
  [0x0018, 'TLS_DH_anon_WITH_RC4_128_MD5'],
  [0x0019, 'TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA'],
  [0x001b, 'TLS_DH_anon_WITH_3DES_EDE_CBC_SHA'],
  [0x002f, 'TLS_RSA_WITH_AES_128_CBC_SHA'],
  [0x0033, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA'],
  [0x0034, 'TLS_DH_anon_WITH_AES_128_CBC_SHA'],
  [0x0035, 'TLS_RSA_WITH_AES_256_CBC_SHA'],
  [0x0039, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA'],
  [0x003a, 'TLS_DH_anon_WITH_AES_256_CBC_SHA'],
  [0x003b, 'TLS_RSA_WITH_NULL_SHA256'],
  [0x003c, 'TLS_RSA_WITH_AES_128_CBC_SHA256'],
  [0x003d, 'TLS_RSA_WITH_AES_256_CBC_SHA256'],
  [0x0046, 'TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA'],
  [0x0067, 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256'],
  [0x006b, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256'],
  [0x006c, 'TLS_DH_anon_WITH_AES_128_CBC_SHA256'],
  [0x006d, 'TLS_DH_anon_WITH_AES_256_CBC_SHA256'],
  [0x0089, 'TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA'],
  [0x009c, 'TLS_RSA_WITH_AES_128_GCM_SHA256'],
  [0x009d, 'TLS_RSA_WITH_AES_256_GCM_SHA384'],
  [0x009e, 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'],
  [0x009f, 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'],
  [0x00a6, 'TLS_DH_anon_WITH_AES_128_GCM_SHA256'],
  [0x00a7, 'TLS_DH_anon_WITH_AES_256_GCM_SHA384'],
  [0x1301, 'TLS_AES_128_GCM_SHA256'],
  [0x1302, 'TLS_AES_256_GCM_SHA384'],
  [0x1303, 'TLS_CHACHA20_POLY1305_SHA256'],
  [0xc001, 'TLS_ECDH_ECDSA_WITH_NULL_SHA'],
  [0xc002, 'TLS_ECDH_ECDSA_WITH_RC4_128_SHA'],
  [0xc003, 'TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc006, 'TLS_ECDHE_ECDSA_WITH_NULL_SHA'],
  [0xc007, 'TLS_ECDHE_ECDSA_WITH_RC4_128_SHA'],
  [0xc008, 'TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc009, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA'],
  [0xc00a, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA'],
  [0xc00b, 'TLS_ECDH_RSA_WITH_NULL_SHA'],
  [0xc00c, 'TLS_ECDH_RSA_WITH_RC4_128_SHA'],
  [0xc00d, 'TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc010, 'TLS_ECDHE_RSA_WITH_NULL_SHA'],
  [0xc011, 'TLS_ECDHE_RSA_WITH_RC4_128_SHA'],
  [0xc012, 'TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA'],
  [0xc013, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'],
  [0xc014, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'],
  [0xc015, 'TLS_ECDH_anon_WITH_NULL_SHA'],
  [0xc016, 'TLS_ECDH_anon_WITH_RC4_128_SHA'],
  [0xc017, 'TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA'],
  [0xc018, 'TLS_ECDH_anon_WITH_AES_128_CBC_SHA'],
  [0xc019, 'TLS_ECDH_anon_WITH_AES_256_CBC_SHA'],
  [0xc023, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256'],
  [0xc024, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384'],
  [0xc027, 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256'],
  [0xc028, 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384'],
  [0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
  [0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
  [0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
  [0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
  [0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
  [0xcca9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'],
]);

/** Which weak family a suite belongs to (a suite may be in several: anonymous RC4 is both). */
export function weakFamiliesOf(suite: number): WeakCipherFamily[] {
  const name = CIPHER_SUITE_NAMES.get(suite) ?? '';
  const families: WeakCipherFamily[] = [];
  if (/_anon_/.test(name)) families.push('anonymous');
  if (/_EXPORT/.test(name)) families.push('export');
  if (/_RC4_/.test(name)) families.push('rc4');
  if (/_3DES_/.test(name)) families.push('3des');
  if (/_WITH_NULL_/.test(name)) families.push('null');
  return families;
}

/** Forward-secret AEAD first, as a modern client orders them: a server that follows the client's order picks those. */
const PREFERENCE = [0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0x009e, 0x009f, 0xc023, 0xc027, 0xc009, 0xc013, 0xc024, 0xc028, 0xc00a, 0xc014, 0x0067, 0x0033, 0x006b, 0x0039, 0x009c, 0x009d, 0x003c, 0x002f, 0x003d, 0x0035];
let allTls12Suites: number[] | undefined;
/**
 * Every TLS 1.2 suite named above, strong ones first (in PREFERENCE's order): a version question must not
 * fail for want of a suite. Sorted on first use, not at every start of the CLI.
 */
function tls12Suites(): number[] {
  if (!allTls12Suites) {
    const codes = [...CIPHER_SUITE_NAMES.keys()].filter((c) => c < 0x1300 || c > 0x13ff);
    const strong = [...PREFERENCE, ...codes.filter((c) => weakFamiliesOf(c).length === 0 && !PREFERENCE.includes(c))];
    allTls12Suites = [...strong, ...codes.filter((c) => weakFamiliesOf(c).length > 0)];
  }
  return allTls12Suites;
}
const TLS13_SUITES = [0x1301, 0x1302, 0x1303];

/** The suites offered to ask about one family: every suite of it the registry above names. */
export function familySuites(family: WeakCipherFamily): number[] {
  return tls12Suites().filter((c) => weakFamiliesOf(c).includes(family));
}

/** TLS_EMPTY_RENEGOTIATION_INFO_SCSV: says "I renegotiate securely" without an extension. */
const RENEGOTIATION_SCSV = 0x00ff;
const X25519 = 0x001d;
const GROUPS = [X25519, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101];
/** ECDSA and RSA(-PSS) with SHA-256/384/512, Ed25519, and SHA-1 for old servers. */
const SIGNATURE_ALGORITHMS = [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0807, 0x0201, 0x0203];

const u8 = (n: number) => Buffer.from([n & 0xff]);
const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const u24 = (n: number) => Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const vec16 = (body: Buffer) => Buffer.concat([u16(body.length), body]);
const vec8 = (body: Buffer) => Buffer.concat([u8(body.length), body]);
const list16 = (values: readonly number[]) => Buffer.concat(values.map(u16));
const extension = (type: number, body: Buffer) => Buffer.concat([u16(type), vec16(body)]);

export interface ClientHelloOptions {
  /** The highest version offered (TLSv1.3 adds supported_versions and a key share). */
  readonly version: TlsVersionName;
  /** Cipher suites offered; default: every strong and weak TLS 1.2 suite above (and the TLS 1.3 ones for 1.3). */
  readonly suites?: readonly number[];
  /** SNI; omitted for IP addresses. */
  readonly serverName?: string;
}

/** One TLS record holding a ClientHello as a client of `version` sends it. */
export function buildClientHello(options: ClientHelloOptions): Buffer {
  const tls13 = options.version === 'TLSv1.3';
  const legacyVersion = tls13 ? 0x0303 : VERSION_CODE[options.version];
  const suites = [...(options.suites ?? (tls13 ? [...TLS13_SUITES, ...tls12Suites()] : tls12Suites())), RENEGOTIATION_SCSV];
  const extensions: Buffer[] = [];
  const name = options.serverName?.replace(/\.$/, '');
  if (name && !isIP(name) && /^[\x21-\x7e]{1,253}$/.test(name)) {
    const host = Buffer.from(name, 'ascii');
    extensions.push(extension(0x0000, vec16(Buffer.concat([u8(0), vec16(host)]))));
  }
  extensions.push(extension(0x000a, vec16(list16(GROUPS))));
  extensions.push(extension(0x000b, vec8(u8(0))));
  if (legacyVersion >= 0x0303) extensions.push(extension(0x000d, vec16(list16(SIGNATURE_ALGORITHMS))));
  extensions.push(extension(0xff01, vec8(Buffer.alloc(0))));
  if (tls13) {
    extensions.push(extension(0x002b, vec8(u16(0x0304))));
    // Any 32 bytes are an X25519 public key; the handshake never gets far enough to need the private half.
    extensions.push(extension(0x0033, vec16(Buffer.concat([u16(X25519), vec16(nodeCrypto().randomBytes(32))]))));
    extensions.push(extension(0x002d, vec8(u8(1))));
  }
  const body = Buffer.concat([
    u16(legacyVersion),
    nodeCrypto().randomBytes(32),
    vec8(tls13 ? nodeCrypto().randomBytes(32) : Buffer.alloc(0)),
    vec16(list16(suites)),
    vec8(u8(0)),
    vec16(Buffer.concat(extensions)),
  ]);
  const handshake = Buffer.concat([u8(1), u24(body.length), body]);
  return Buffer.concat([u8(0x16), u16(0x0301), vec16(handshake)]);
}

/** What the server answered to one ClientHello. */
export type HelloAnswer =
  | { readonly kind: 'server-hello'; readonly version: number; readonly suite: number; readonly retry: boolean }
  | { readonly kind: 'alert'; readonly level: number; readonly description: number }
  /** The server closed without a word, or sent nothing in time. */
  | { readonly kind: 'none' }
  /** Bytes that are not a TLS answer (e.g. a plain SMTP reply). */
  | { readonly kind: 'not-tls'; readonly detail: string }
  /** A TLS answer cut short. */
  | { readonly kind: 'incomplete' };

/** The random value of a HelloRetryRequest (RFC 8446 4.1.3): a ServerHello in form, TLS 1.3 in substance. */
const HELLO_RETRY_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

/** Whether `bytes` hold enough to read the answer (so a caller can stop reading). */
export function helloAnswerComplete(bytes: Buffer): boolean {
  return bytes.length > 0 && readHelloAnswer(bytes).kind !== 'incomplete';
}

/** Reads the server's answer: the ServerHello's version and suite, an alert, or why neither. */
export function readHelloAnswer(bytes: Buffer): HelloAnswer {
  if (bytes.length === 0) return { kind: 'none' };
  if (bytes[0] !== 0x16 && bytes[0] !== 0x15) {
    return { kind: 'not-tls', detail: JSON.stringify(bytes.subarray(0, 40).toString('latin1').replace(/[^\x20-\x7e]/g, '.')) };
  }
  if (bytes.length >= 2 && bytes[1] !== 0x03) return { kind: 'not-tls', detail: `record version ${bytes[1]}.${bytes[2] ?? '?'}` };
  // Handshake bytes may span several records; an alert is one record.
  const handshake: Buffer[] = [];
  let at = 0;
  while (at + 5 <= bytes.length) {
    const type = bytes[at];
    const length = bytes.readUInt16BE(at + 3);
    if (at + 5 + length > bytes.length) break;
    const fragment = bytes.subarray(at + 5, at + 5 + length);
    at += 5 + length;
    if (type === 0x15) {
      if (handshake.length) break;
      if (fragment.length < 2) return { kind: 'not-tls', detail: 'short alert' };
      return { kind: 'alert', level: fragment[0], description: fragment[1] };
    }
    if (type !== 0x16) break;
    handshake.push(fragment);
    const hs = Buffer.concat(handshake);
    if (hs.length >= 4) {
      if (hs[0] !== 2) return { kind: 'not-tls', detail: `handshake message ${hs[0]} where a ServerHello belongs` };
      const length = hs.readUIntBE(1, 3);
      if (hs.length >= 4 + length) return parseServerHello(hs.subarray(4, 4 + length));
    }
  }
  return { kind: 'incomplete' };
}

function parseServerHello(body: Buffer): HelloAnswer {
  const bad: HelloAnswer = { kind: 'not-tls', detail: 'malformed ServerHello' };
  if (body.length < 38) return bad;
  let version = body.readUInt16BE(0);
  const retry = body.subarray(2, 34).equals(HELLO_RETRY_RANDOM);
  let at = 34;
  const sessionLength = body[at];
  at += 1 + sessionLength;
  if (at + 3 > body.length) return bad;
  const suite = body.readUInt16BE(at);
  at += 3;
  if (at + 2 <= body.length) {
    const end = Math.min(body.length, at + 2 + body.readUInt16BE(at));
    at += 2;
    while (at + 4 <= end) {
      const type = body.readUInt16BE(at);
      const length = body.readUInt16BE(at + 2);
      // supported_versions: the version really chosen (TLS 1.3 keeps 0x0303 in the legacy field).
      if (type === 0x002b && length === 2 && at + 6 <= end) version = body.readUInt16BE(at + 4);
      at += 4 + length;
    }
  }
  return { kind: 'server-hello', version, suite, retry };
}

/** TLS alert descriptions a scan meets, by number (RFC 8446 6). */
export function alertName(description: number): string {
  const names: Record<number, string> = {
    0: 'close_notify',
    10: 'unexpected_message',
    40: 'handshake_failure',
    47: 'illegal_parameter',
    50: 'decode_error',
    70: 'protocol_version',
    71: 'insufficient_security',
    80: 'internal_error',
    86: 'inappropriate_fallback',
    109: 'missing_extension',
    112: 'unrecognized_name',
  };
  return names[description] ?? `alert ${description}`;
}

export function suiteName(suite: number): string {
  return CIPHER_SUITE_NAMES.get(suite) ?? `0x${suite.toString(16).padStart(4, '0')}`;
}

export { TLS13_SUITES };
