// Which login a config line defines, resolved as its client would use it: an application transport
// (nodemailer: host, port, TLS mode, auth.user / auth.pass from literals, a URL or .env files) or a Postfix
// relayhost (smtp_sasl_password_maps: static:, inline:, or a hash:/lmdb:/texthash: table whose text file sits
// next to main.cf). Pure: files are read through the caller's `readFile`. The password is handed to
// verifyLogin only; nothing here puts it in a message.

import { basename, dirname, join } from 'path';
import type { CheckResult } from './check';
import type { Endpoint, Range } from './model';
import type { LoginTarget, LoginTlsMode } from './live/verifyLogin';
import { effectiveTransport, endpointOf } from './sources/app/effectiveTransport';
import { parseSmtpUrl } from './sources/app/smtpUrl';
import type { TransportDefinition } from './sources/app/transport';
import type { PostfixInstance } from './sources/postfix/instance';
import { relayhostEndpoints, relayhostEntries } from './sources/postfix/relayhost';

export interface LoginAt {
  readonly target: LoginTarget;
  /** The definition the login comes from. */
  readonly file: string;
  readonly range: Range;
  readonly source: 'nodemailer' | 'postfix-relayhost';
}

export type LoginLookup = { readonly ok: true; readonly login: LoginAt } | { readonly ok: false; readonly reason: string };

const covers = (range: Range, line: number) => range.start.line <= line && line <= range.end.line;

function modeOf(e: Endpoint): LoginTlsMode | undefined {
  switch (e.security) {
    case 'implicit-tls':
      return 'implicit';
    case 'starttls-required':
      return 'starttls-required';
    case 'starttls-opportunistic':
      return 'starttls-opportunistic';
    case 'none':
      return 'none';
    case 'unknown':
      return undefined;
  }
}

/** The login defined at `line` (0-based) of `file`: a transport whose definition covers it, or a relayhost line. */
export function loginTargetAt(result: CheckResult, file: string, line: number, readFile: (file: string) => string | undefined): LoginLookup {
  const transports = result.transports.filter((t) => t.file === file && covers(t.range, line));
  // The innermost definition covering the line.
  const transport = transports.sort((a, b) => b.range.start.line - a.range.start.line || a.range.end.line - b.range.end.line)[0];
  if (transport) return transportLogin(transport);
  const instance = result.postfixInstances.find((i) => i.main?.source.file === file);
  if (instance) {
    const relayhost = instance.main?.effective.get('relayhost');
    if (relayhost && relayhost.firstLine <= line && line <= relayhost.lastLine) return relayhostLogin(instance, readFile);
    return { ok: false, reason: `line ${line + 1} of ${basename(file)} is not the relayhost line` };
  }
  return { ok: false, reason: `no mail transport or relayhost is defined at line ${line + 1} of ${basename(file)}` };
}

function transportLogin(def: TransportDefinition): LoginLookup {
  const t = effectiveTransport(def);
  const e = endpointOf(def);
  const o = (k: string) => def.options.get(k);
  if (!e.host || !e.port) return { ok: false, reason: 'the transport\'s host or port comes from a value that could not be resolved' };
  const mode = modeOf(e);
  if (!mode) return { ok: false, reason: 'whether the transport uses TLS depends on a value that could not be resolved' };
  let user = o('auth.user')?.value;
  let password = o('auth.pass')?.value;
  const url = o('url');
  if ((user === undefined || password === undefined) && typeof url?.value === 'string') {
    const parsed = parseSmtpUrl(url.value);
    if (parsed.ok && parsed.url.userInfoSpan) {
      const info = url.value.slice(parsed.url.userInfoSpan.start, parsed.url.userInfoSpan.end);
      const colon = info.indexOf(':');
      try {
        user ??= decodeURIComponent(colon < 0 ? info : info.slice(0, colon));
        if (colon >= 0) password ??= decodeURIComponent(info.slice(colon + 1));
      } catch {
        return { ok: false, reason: 'the user name or password in the URL is not validly encoded' };
      }
    }
  }
  if (!t.authPresent && user === undefined) return { ok: false, reason: 'the transport has no login (no auth.user and auth.pass)' };
  const unresolved = (k: string) => o(k)?.unresolved?.description;
  if (typeof user !== 'string' || !user) return { ok: false, reason: `the user name is not known here${unresolved('auth.user') ? ` (${unresolved('auth.user')})` : ''}` };
  if (typeof password !== 'string' || !password) return { ok: false, reason: `the password is not known here${unresolved('auth.pass') ? ` (${unresolved('auth.pass')})` : ''}` };
  const method = o('auth.method')?.value ?? o('authMethod')?.value;
  const name = o('name')?.value;
  return {
    ok: true,
    login: {
      target: {
        host: e.host,
        port: e.port,
        mode,
        user,
        password,
        client: 'nodemailer',
        ...(typeof method === 'string' && method ? { method } : {}),
        verifyCertificate: o('tls.rejectUnauthorized')?.value !== false,
        ...(typeof name === 'string' && name ? { ehloName: name } : {}),
      },
      file: def.file,
      range: def.range,
      source: 'nodemailer',
    },
  };
}

/** `key value` lines of a Postfix lookup table's source text (comments and blank lines skipped). */
function tableEntries(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const lineText = raw.trim();
    if (!lineText || lineText.startsWith('#')) continue;
    const m = /^(\S+)\s+(.*)$/.exec(lineText);
    if (m && !entries.has(m[1].toLowerCase())) entries.set(m[1].toLowerCase(), m[2].trim());
  }
  return entries;
}

/** `inline:{ key=value, { key = value } }` entries. */
function inlineEntries(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  const body = /^\{(.*)\}$/s.exec(text.trim())?.[1] ?? '';
  for (const m of body.matchAll(/\{\s*([^=}]+?)\s*=\s*([^}]*?)\s*\}|([^\s,{}=]+)\s*=\s*([^\s,{}]+)/g)) {
    const key = (m[1] ?? m[3]).toLowerCase();
    if (!entries.has(key)) entries.set(key, m[2] ?? m[4]);
  }
  return entries;
}

function relayhostLogin(instance: PostfixInstance, readFile: (file: string) => string | undefined): LoginLookup {
  const main = instance.main!;
  const relayhost = main.effective.get('relayhost')!;
  const entry = relayhostEntries(relayhost)[0];
  const endpoint = relayhostEndpoints(instance)[0];
  if (!entry || !endpoint?.host || !endpoint.port) return { ok: false, reason: 'the relayhost names no host and port that can be used' };
  const yes = (name: string) => (instance.effectiveValue(name) ?? '').trim().toLowerCase() === 'yes';
  if (!yes('smtp_sasl_auth_enable')) return { ok: false, reason: 'Postfix does not log in to the relayhost (smtp_sasl_auth_enable is not yes)' };
  const maps = (instance.effectiveValue('smtp_sasl_password_maps') ?? '').trim();
  if (!maps) return { ok: false, reason: 'smtp_sasl_password_maps is empty, so Postfix has no login for the relayhost' };
  // Postfix looks the next hop up as written in relayhost ([host]:port), then without the port, then the bare host.
  const nextHop = `${entry.bracketed ? `[${entry.host}]` : entry.host}${entry.port ? `:${entry.port}` : ''}`;
  const keys = [...new Set([nextHop, entry.bracketed ? `[${entry.host}]` : entry.host, entry.host].map((k) => k.toLowerCase()))];
  let credentials: string | undefined;
  let looked: string[] = [];
  for (const table of maps.split(/[\s,]+(?![^{]*\})/).filter(Boolean)) {
    const colon = table.indexOf(':');
    const type = table.slice(0, colon).toLowerCase();
    const name = table.slice(colon + 1);
    let entries: Map<string, string> | undefined;
    if (type === 'static') credentials ??= name;
    else if (type === 'inline') entries = inlineEntries(name);
    else if (['hash', 'lmdb', 'btree', 'cdb', 'texthash', 'dbm', 'sdbm'].includes(type)) {
      // The table's source text, as `postmap` reads it, next to main.cf (this folder is config_directory here).
      const local = join(dirname(main.source.file), basename(name));
      const text = readFile(local);
      looked = [...looked, basename(name)];
      if (text !== undefined) entries = tableEntries(text);
    }
    if (!credentials && entries) for (const k of keys) if (entries.has(k)) credentials ??= entries.get(k);
    if (credentials) break;
  }
  if (!credentials) {
    return { ok: false, reason: `no login for ${keys[0]} in smtp_sasl_password_maps${looked.length ? ` (looked in ${looked.join(', ')} next to main.cf)` : ''}` };
  }
  const colon = credentials.indexOf(':');
  if (colon < 0) return { ok: false, reason: 'the smtp_sasl_password_maps entry is not user:password' };
  const mode = modeOf(endpoint);
  if (!mode) return { ok: false, reason: 'the relayhost\'s TLS mode could not be worked out' };
  const level = (instance.effectiveValue('smtp_tls_security_level') ?? '').trim().toLowerCase();
  const options = (mode === 'none' ? instance.effectiveValue('smtp_sasl_security_options') : instance.effectiveValue('smtp_sasl_tls_security_options')) ?? '';
  const filter = (instance.effectiveValue('smtp_sasl_mechanism_filter') ?? '').split(/[\s,]+/).filter(Boolean).map((m) => m.toUpperCase());
  const excluded = new Set<string>();
  if (/\bnoplaintext\b/i.test(options)) ['PLAIN', 'LOGIN'].forEach((m) => excluded.add(m));
  if (filter.length) for (const m of ['PLAIN', 'LOGIN', 'CRAM-MD5', 'DIGEST-MD5', 'XOAUTH2']) if (!filter.includes(m)) excluded.add(m);
  // The name Postfix sends, when main.cf says (the built-in default is this machine's name, unknown here).
  const written = main.effective.has('smtp_helo_name') || main.effective.has('myhostname');
  const helo = written ? instance.effectiveValue('smtp_helo_name')?.trim() : undefined;
  return {
    ok: true,
    login: {
      target: {
        host: endpoint.host,
        port: endpoint.port,
        mode,
        user: credentials.slice(0, colon),
        password: credentials.slice(colon + 1),
        client: 'postfix',
        excludedMechanisms: [...excluded],
        verifyCertificate: ['verify', 'secure'].includes(level),
        ...(helo && !helo.includes('$') ? { ehloName: helo } : {}),
      },
      file: main.source.file,
      range: endpoint.range,
      source: 'postfix-relayhost',
    },
  };
}
