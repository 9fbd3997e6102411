// Nodemailer-style blocks in JSON/YAML: smtp: {host, port, secure, auth: {user, pass}, tls: {...}}, and the
// same settings under other libraries' spellings (username, encryption, ...), told apart from databases,
// caches and IMAP accounts.
import { type Node as YNode, type YAMLMap, isMap, isScalar, isSeq } from 'yaml';
import { type Scalar, classifyFlatKey, comparePositions, encryptionMeaning, isPlausibleHost } from './extractFromEnvFile';
import { looksLikeSmtpUrl } from './smtpUrl';
import type { OptionValue } from './transport';
import { lookupService } from './wellKnownServices';
import { addToMap } from './yamlAddOption';
import { type Entry, type ReadContext, deref, entriesOf, pairRange, pairRemoval, rangeOfNode } from './yamlNodes';
import { type Read, WHOLE_INTERPOLATION, asUrlRead, makeOption, readScalar } from './yamlValues';

type BlockRole = { readonly option: string; readonly kind?: 'port' | 'flag' | 'encryption' | 'driver' | 'transport' };

/** Keys of a block (lower case, without `_`/`-`) → the nodemailer option they set. */
const BLOCK_KEYS: Readonly<Record<string, BlockRole>> = {
  host: { option: 'host' },
  hostname: { option: 'host' },
  server: { option: 'host' },
  address: { option: 'host' },
  port: { option: 'port', kind: 'port' },
  secure: { option: 'secure', kind: 'flag' },
  ssl: { option: 'secure', kind: 'flag' },
  usessl: { option: 'secure', kind: 'flag' },
  implicittls: { option: 'secure', kind: 'flag' },
  encryption: { option: 'secure', kind: 'encryption' },
  security: { option: 'secure', kind: 'encryption' },
  scheme: { option: 'secure', kind: 'encryption' },
  requiretls: { option: 'requireTLS', kind: 'flag' },
  starttls: { option: 'requireTLS', kind: 'flag' },
  usetls: { option: 'requireTLS', kind: 'flag' },
  ignoretls: { option: 'ignoreTLS', kind: 'flag' },
  service: { option: 'service' },
  url: { option: 'url' },
  uri: { option: 'url' },
  connectionurl: { option: 'url' },
  dsn: { option: 'url' },
  user: { option: 'auth.user' },
  username: { option: 'auth.user' },
  login: { option: 'auth.user' },
  pass: { option: 'auth.pass' },
  password: { option: 'auth.pass' },
  pool: { option: 'pool' },
  name: { option: 'name' },
  from: { option: 'from' },
  localaddress: { option: 'localAddress' },
  connectiontimeout: { option: 'connectionTimeout' },
  greetingtimeout: { option: 'greetingTimeout' },
  sockettimeout: { option: 'socketTimeout' },
  maxconnections: { option: 'maxConnections' },
  maxmessages: { option: 'maxMessages' },
  authmethod: { option: 'authMethod' },
  proxy: { option: 'proxy' },
  driver: { option: '', kind: 'driver' },
  mailer: { option: '', kind: 'driver' },
  type: { option: '', kind: 'driver' },
  backend: { option: '', kind: 'driver' },
  transport: { option: 'url', kind: 'transport' },
};

/** Nodemailer's own spellings; a block using any other (username, encryption, ...) is not nodemailer's. */
const NODEMAILER_KEYS = new Set([
  'host', 'port', 'secure', 'requireTLS', 'ignoreTLS', 'service', 'url', 'pool', 'name', 'from', 'localAddress',
  'connectionTimeout', 'greetingTimeout', 'socketTimeout', 'maxConnections', 'maxMessages', 'authMethod', 'proxy', 'auth', 'tls',
]);
const AUTH_KEYS: Readonly<Record<string, string>> = { user: 'user', username: 'user', login: 'user', pass: 'pass', password: 'pass' };

const MAIL_PATH_WORDS = new Set(['smtp', 'smtps', 'mail', 'mails', 'mailer', 'mailers', 'email', 'emails', 'nodemailer', 'mailing', 'outgoing']);
const TRANSPORT_WORDS = new Set(['transport', 'transporter', 'transports']);
const MAIL_PORTS = new Set([25, 465, 587, 1025, 2465, 2525, 2587]);
const RECEIVING_PORTS = new Set([110, 143, 993, 995]);

function keyWords(key: string): string[] {
  return (key.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? []).map((w) => w.toLowerCase());
}

const normalizeKey = (k: string) => k.toLowerCase().replace(/[-_]/g, '');

export function nodemailerBlock(map: YAMLMap, entries: readonly Entry[], path: readonly string[], ctx: ReadContext): void {
  const options = new Map<string, OptionValue>();
  let nonNodemailer = false;
  let encryption: { read: Read; entry: Entry } | undefined;
  let hasHostKey = false;
  let hasAuthMap = false;
  const valueNodes: YNode[] = [];

  const setOption = (name: string, read: Read, value: Scalar | undefined, entry: Entry, node: YNode, derived = false) => {
    if (options.has(name) && !derived) return; // the first spelling written wins (host before hostname)
    options.set(name, makeOption(read, value, node, pairRange(entry.pair, ctx), ctx, derived, pairRemoval(entry, ctx)));
  };
  // `secure: ${SMTP_SECURE}` under nodemailer's own key: whoever loads this passes a string on.
  const markEnvString = (name: string, node: YNode) => {
    const o = options.get(name);
    if (!o || !isScalar(node) || typeof node.value !== 'string' || !WHOLE_INTERPOLATION.test(node.value)) return;
    const range = rangeOfNode(node, ctx);
    // Only the option this very value set (not an earlier spelling that won: `ssl:` before `secure:`).
    if (comparePositions(o.range.start, range.start) !== 0 || comparePositions(o.range.end, range.end) !== 0) return;
    options.set(name, { ...o, envString: { kind: 'bare', range } });
  };

  for (const e of entries) {
    const norm = normalizeKey(e.key);
    if ((norm === 'auth' || norm === 'tls') && isMap(e.value)) {
      if (norm === 'auth') hasAuthMap = true;
      for (const sub of entriesOf(e.value, ctx)) {
        const read = readScalar(sub.value, ctx);
        if (!read || !sub.value) continue;
        const lower = sub.key.toLowerCase();
        const subName = norm === 'auth' && Object.hasOwn(AUTH_KEYS, lower) ? AUTH_KEYS[lower] : sub.key;
        if (norm === 'auth' && subName !== sub.key) nonNodemailer = true;
        setOption(`${norm}.${subName}`, read, read.value, sub, sub.value);
        if (norm === 'tls' && sub.key === 'rejectUnauthorized') markEnvString(`tls.${sub.key}`, sub.value);
        valueNodes.push(sub.value);
      }
      continue;
    }
    if (norm === 'dkim' && isMap(e.value)) {
      dkimOptions(e.value, ctx, (name, read, sub) => setOption(name, read, read.value, sub, sub.value as YNode));
      continue;
    }
    const role = Object.hasOwn(BLOCK_KEYS, norm) ? BLOCK_KEYS[norm] : undefined; // not `constructor:`'s Object
    // SMTP_HOST, mailPort, ...: a flat family, read by flatFamiliesInMap.
    if (!role || !e.value || classifyFlatKey(e.key)) continue;
    const scalar = readScalar(e.value, ctx);
    if (!scalar) continue;
    const read = role.option === 'url' ? asUrlRead(scalar) : scalar;
    if (!NODEMAILER_KEYS.has(e.key) && role.kind !== 'driver') nonNodemailer = true;
    const v = read.value;
    switch (role.kind) {
      case 'driver':
        if (v !== undefined && !/smtp/i.test(String(v))) return; // sendmail, ses, log, ...
        continue;
      case 'transport':
        if (v === undefined || (typeof v === 'string' && v.includes('://'))) break;
        if (!/smtp/i.test(String(v))) return;
        continue;
      case 'encryption':
        encryption = { read, entry: e };
        valueNodes.push(e.value);
        continue;
    }
    if (role.option === 'url' && v !== undefined && !(typeof v === 'string' && looksLikeSmtpUrl(v))) continue;
    if (role.option === 'host') {
      if (v === '') continue;
      // notifier.smtp.address: 'smtp://127.0.0.1:25' (Authelia) is a URL, not a host.
      if (typeof v === 'string' && v.includes('://')) {
        if (looksLikeSmtpUrl(v)) setOption('url', read, v, e, e.value);
        else return;
        valueNodes.push(e.value);
        continue;
      }
      if (v !== undefined && !isPlausibleHost(v)) return;
      hasHostKey = true;
    }
    let value = v;
    const retype = !NODEMAILER_KEYS.has(e.key) && value !== undefined;
    if (retype && role.kind === 'port' && typeof value === 'string' && /^\s*\d+\s*$/.test(value)) value = Number(value);
    if (retype && role.kind === 'flag' && typeof value === 'string') {
      const s = value.trim().toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(s)) value = true;
      else if (['false', 'no', 'off', '0', ''].includes(s)) value = false;
    }
    setOption(role.option, read, value, e, e.value);
    if (e.key === 'secure' || e.key === 'requireTLS' || e.key === 'ignoreTLS') markEnvString(e.key, e.value);
    valueNodes.push(e.value);
  }
  if (encryption) {
    const { read, entry } = encryption;
    const node = entry.value as YNode;
    if (read.value === undefined) {
      if (!options.has('secure')) setOption('secure', read, undefined, entry, node, true);
    } else {
      const meaning = encryptionMeaning(read.value);
      if (meaning && !options.has('secure')) setOption('secure', read, meaning.secure, entry, node, true);
      if (meaning?.requireTLS !== undefined && !options.has('requireTLS')) setOption('requireTLS', read, meaning.requireTLS, entry, node, true);
    }
  }

  if (!isMailBlock(options, path, hasHostKey, hasAuthMap)) return;
  for (const n of valueNodes) ctx.consumed.add(n);
  const definitionRange = rangeOfNode(map, ctx);
  ctx.out.push({
    file: ctx.source.file,
    source: ctx.kind,
    range: definitionRange,
    options,
    addOption: (option, value) => (nonNodemailer ? undefined : addToMap(map, option.split('.'), value, ctx)),
  });
}

/** nodemailer's DKIM key names (the private key is not kept: nothing here needs it). */
const DKIM_KEYS: Readonly<Record<string, string>> = { domainname: 'domainName', keyselector: 'keySelector' };

/** `dkim: { domainName, keySelector }` and `dkim: { keys: [{ domainName, keySelector }, ...] }` as dkim.* / dkim.keys.N.* options. */
function dkimOptions(map: YAMLMap, ctx: ReadContext, set: (name: string, read: Read, entry: Entry) => void): void {
  const read = (entries: readonly Entry[], prefix: string) => {
    for (const sub of entries) {
      const key = normalizeKey(sub.key);
      const name = Object.hasOwn(DKIM_KEYS, key) ? DKIM_KEYS[key] : undefined;
      const value = name && sub.value ? readScalar(sub.value, ctx) : undefined;
      if (name && value) set(prefix + name, value, sub);
    }
  };
  const entries = entriesOf(map, ctx);
  const keys = entries.find((e) => e.key === 'keys');
  if (keys && isSeq(keys.value)) {
    keys.value.items.slice(0, 100).forEach((item, i) => {
      const m = deref(item, ctx.doc);
      if (isMap(m)) read(entriesOf(m, ctx), `dkim.keys.${i}.`);
    });
  } else read(entries, 'dkim.');
}

/**
 * Whether a mapping with a host / service / url is an SMTP transport rather than a database, cache or
 * IMAP account: a mail-ish key above it, or mail-ish contents (a submission port, an smtp:// URL, a
 * known mail service, requireTLS/ignoreTLS, a mail-ish host name, or secure + auth without a port).
 */
function isMailBlock(options: ReadonlyMap<string, OptionValue>, path: readonly string[], hasHostKey: boolean, hasAuthMap: boolean): boolean {
  const host = options.get('host');
  const url = options.get('url');
  const service = options.get('service');
  if (!hasHostKey && !url && !service) return false;
  const port = options.get('port');
  const portNumber = typeof port?.value === 'number' ? port.value : typeof port?.value === 'string' && /^\d+$/.test(port.value) ? Number(port.value) : undefined;
  const hostText = typeof host?.value === 'string' ? host.value.toLowerCase() : '';
  // Labels, not settings (translations of an SMTP settings form: host: "SMTP host", port: "Port").
  if (/\s/.test(hostText.trim())) return false;
  if (typeof port?.value === 'string' && port.literal && !/^\s*\d+\s*$/.test(port.value)) return false;
  // Receiving mail (IMAP / POP3) is not a transport.
  if (portNumber !== undefined && RECEIVING_PORTS.has(portNumber)) return false;
  if (/^(imap|pop3?)[.-]/.test(hostText)) return false;
  const recent = path.slice(-2).flatMap(keyWords);
  if (recent.some((w) => w === 'imap' || w === 'pop' || w === 'pop3')) return false;

  const mailPort = portNumber !== undefined && MAIL_PORTS.has(portNumber);
  const knownService = typeof service?.value === 'string' && !!lookupService(service.value);
  const smtpUrl = typeof url?.value === 'string' || url?.unresolved !== undefined;
  const mailHost = /smtp|mail/.test(hostText);
  const contentSignal =
    mailPort ||
    smtpUrl ||
    knownService ||
    options.has('requireTLS') ||
    options.has('ignoreTLS') ||
    (mailHost && (portNumber === undefined || mailPort)) ||
    (options.has('secure') && (hasAuthMap || options.has('auth.user')) && portNumber === undefined);
  if (recent.some((w) => MAIL_PATH_WORDS.has(w))) return true;
  if (recent.some((w) => TRANSPORT_WORDS.has(w))) return contentSignal || options.has('secure') || options.has('auth.user') || (portNumber === undefined && !!service);
  return contentSignal;
}
