// A REAL Postfix (Debian package) started as root from a throw-away config directory, listening only on
// 127.0.0.1 with unprivileged ports:
//   smtp        plain smtpd with opportunistic STARTTLS (smtpd_tls_security_level=may)
//   submission  smtpd with smtpd_tls_security_level=encrypt and smtpd_tls_auth_only=yes (no SASL backend here)
//   smtps       smtpd_tls_wrappermode=yes (implicit TLS, 465-style)
// Pitfalls (see /work/shared/TEST-PEERS.md): the instance directory must be traversable by the postfix user,
// data_directory must belong to postfix, maillog_file must match maillog_file_prefixes, and `postfix start`
// reports fatal errors only to a terminal or the mail log — so we read maillog_file on failure.

import { execFile } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import type { KeyPair } from './testCerts';

const run = promisify(execFile);

export const POSTFIX = '/usr/sbin/postfix';

export interface PostfixPeer {
  readonly configDir: string;
  readonly ports: { readonly smtp: number; readonly submission: number; readonly smtps: number };
  /** The smtpd_banner text after "220 ". */
  readonly banner: string;
  readonly myhostname: string;
  /** The mail log so far (Postfix writes it through postlogd). */
  log(): string;
  stop(): Promise<void>;
}

/** Why a real Postfix cannot run here, or undefined when it can. */
export function postfixUnavailableReason(): string | undefined {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not running as root (postfix start needs root)';
  if (!fs.existsSync(POSTFIX)) return `${POSTFIX} is missing (install the Debian postfix package)`;
  return undefined;
}

/**
 * For a `before` hook of tests that start a real Postfix: skips them when Postfix cannot run here and
 * SMTP_DOCTOR_ALLOW_NO_POSTFIX=1 says that is fine, else fails with the reason.
 */
export function requirePostfix(test: Mocha.Context): void {
  const why = postfixUnavailableReason();
  if (!why) return;
  if (process.env.SMTP_DOCTOR_ALLOW_NO_POSTFIX === '1') test.skip();
  throw new Error(`A real Postfix is needed for these tests: ${why}. Set SMTP_DOCTOR_ALLOW_NO_POSTFIX=1 to skip them.`);
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves when something accepts on 127.0.0.1:port and sends its first bytes (the greeting or a TLS-less hello). */
function canConnect(port: number, wantBytes: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 1000);
    socket.once('error', () => done(false));
    socket.once(wantBytes ? 'data' : 'connect', () => done(true));
  });
}

export type PostfixPorts = PostfixPeer['ports'];

export interface PostfixOptions {
  readonly cert: KeyPair;
  readonly myhostname?: string;
  /** main.cf lines added at the end (a later definition wins, as in Postfix). */
  readonly main?: readonly string[];
  /** `-o name=value` overrides of the smtp (port 25 style) service. */
  readonly smtpOverrides?: readonly string[];
  /**
   * Logins for SASL (Cyrus, sasldb in the instance directory), enabled on the submission and smtps services
   * only. `user` is `name@realm`; mechanisms PLAIN, LOGIN and CRAM-MD5.
   */
  readonly sasl?: readonly { readonly user: string; readonly password: string }[];
  /**
   * Run inside this network namespace (made by the test), listening on `address` (which must be on one of its
   * interfaces) and on `ports` (e.g. the real 25, 587 and 465, which are free in a namespace of one's own).
   */
  readonly netns?: string;
  readonly address?: string;
  /** More files in the instance directory (`$config_directory` in main.cf), e.g. an access table. */
  readonly files?: Readonly<Record<string, string>>;
  readonly ports?: { readonly smtp: number; readonly submission: number; readonly smtps: number };
  /** Lines appended to main.cf (a later line wins, as in Postfix), given the ports and directory chosen. */
  readonly extraMain?: (ports: PostfixPorts, dir: string) => readonly string[];
  /** Lines inserted into master.cf after the three smtpd services, given the ports and directory chosen. */
  readonly extraMaster?: (ports: PostfixPorts, dir: string) => readonly string[];
  /**
   * 'greeting' (default): ready once smtp and submission greet and smtps accepts. 'listening': once
   * master accepts on all three ports, for a configuration whose smtpd is expected to fail.
   */
  readonly readyWhen?: 'greeting' | 'listening';
}

/** A configuration directory written but not started: what Postfix would read, and how to start it. */
export interface PreparedPostfix {
  readonly configDir: string;
  readonly ports: PostfixPorts;
  readonly mainCf: string;
  readonly masterCf: string;
  /** Starts it; rejects with `postfix start`'s output and the mail log when Postfix refuses. */
  start(): Promise<PostfixPeer>;
  /** Removes the directory of a configuration that was never started (start's stop does it otherwise). */
  remove(): void;
}

/** Starts Postfix and resolves once all three services accept connections (about 2 s). */
export async function startPostfix(options: PostfixOptions): Promise<PostfixPeer> {
  return (await preparePostfix(options)).start();
}

/** Writes a throw-away configuration directory for a real Postfix without starting it. */
export async function preparePostfix(options: PostfixOptions): Promise<PreparedPostfix> {
  const why = postfixUnavailableReason();
  if (why) throw new Error(`cannot start a real Postfix: ${why}`);
  const myhostname = options.myhostname ?? 'mail.test';
  const tag = `SMTP-Doctor-test-${process.pid}-${Date.now().toString(36)}`;
  const banner = `${myhostname} ESMTP ${tag}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-postfix-'));
  fs.chmodSync(dir, 0o755); // mkdtemp makes 0700; the postfix user must traverse it
  const queue = path.join(dir, 'queue');
  const data = path.join(dir, 'data');
  fs.mkdirSync(queue, { mode: 0o755 });
  fs.mkdirSync(data, { mode: 0o700 });
  await run('chown', ['postfix:postfix', data]);
  const maillog = path.join(dir, 'maillog');
  const address = options.address ?? '127.0.0.1';
  const ports = options.ports ?? { smtp: await freePort(), submission: await freePort(), smtps: await freePort() };

  const main = [
    'compatibility_level = 3.6',
    `queue_directory = ${queue}`,
    `data_directory = ${data}`,
    'command_directory = /usr/sbin',
    'daemon_directory = /usr/lib/postfix/sbin',
    'mail_owner = postfix',
    'setgid_group = postdrop',
    `myhostname = ${myhostname}`,
    'mydomain = test',
    'myorigin = $myhostname',
    'mydestination =',
    'relay_domains =',
    'relayhost =',
    `inet_interfaces = ${address}`,
    'inet_protocols = ipv4',
    'mynetworks = 127.0.0.0/8',
    'alias_maps =',
    'alias_database =',
    'local_recipient_maps =',
    // No network lookups: the client's name would otherwise be looked up (PTR) for each connection.
    'smtpd_peername_lookup = no',
    'smtp_dns_support_level = disabled',
    `smtpd_banner = $myhostname ESMTP ${tag}`,
    `smtpd_tls_cert_file = ${options.cert.certFile}`,
    `smtpd_tls_key_file = ${options.cert.keyFile}`,
    'smtpd_tls_security_level = may',
    'smtpd_tls_loglevel = 1',
    'smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination',
    `maillog_file = ${maillog}`,
    `maillog_file_prefixes = ${dir}`,
    'biff = no',
    ...(options.main ?? []),
    ...(options.extraMain?.(ports, dir) ?? []),
    '',
  ].join('\n');
  const sasl = options.sasl?.length ? ['smtpd_sasl_auth_enable=yes'] : [];
  const smtpd = (port: number, ...overrides: string[]): string =>
    [`${address}:${port} inet n - n - - smtpd`, ...overrides.map((o) => `  -o ${o}`)].join('\n');
  const master = [
    smtpd(ports.smtp, ...(options.smtpOverrides ?? [])),
    smtpd(ports.submission, 'syslog_name=postfix/submission', 'smtpd_tls_security_level=encrypt', 'smtpd_tls_auth_only=yes', ...sasl),
    smtpd(ports.smtps, 'syslog_name=postfix/smtps', 'smtpd_tls_wrappermode=yes', ...sasl),
    ...(options.extraMaster?.(ports, dir) ?? []),
    'pickup    unix  n - n 60    1 pickup',
    'cleanup   unix  n - n -     0 cleanup',
    'qmgr      unix  n - n 300   1 qmgr',
    'tlsmgr    unix  - - n 1000? 1 tlsmgr',
    'rewrite   unix  - - n -     - trivial-rewrite',
    'bounce    unix  - - n -     0 bounce',
    'defer     unix  - - n -     0 bounce',
    'trace     unix  - - n -     0 bounce',
    'verify    unix  - - n -     1 verify',
    'flush     unix  n - n 1000? 0 flush',
    'proxymap  unix  - - n -     - proxymap',
    'smtp      unix  - - n -     - smtp',
    'relay     unix  - - n -     - smtp',
    'showq     unix  n - n -     - showq',
    'error     unix  - - n -     - error',
    'retry     unix  - - n -     - error',
    'discard   unix  - - n -     - discard',
    'local     unix  - n n -     - local',
    'anvil     unix  - - n -     1 anvil',
    'scache    unix  - - n -     1 scache',
    'postlog   unix-dgram n - n - 1 postlogd',
    '',
  ].join('\n');
  const saslDir = path.join(dir, 'sasl');
  if (options.sasl?.length) {
    fs.mkdirSync(saslDir, { mode: 0o755 });
    const db = path.join(saslDir, 'sasldb2');
    fs.writeFileSync(path.join(saslDir, 'smtpd.conf'), `pwcheck_method: auxprop\nauxprop_plugin: sasldb\nmech_list: PLAIN LOGIN CRAM-MD5\nsasldb_path: ${db}\n`);
    for (const login of options.sasl) {
      const at = login.user.lastIndexOf('@');
      await new Promise<void>((resolve, reject) => {
        const child = execFile('saslpasswd2', ['-p', '-c', '-f', db, '-u', login.user.slice(at + 1), login.user.slice(0, at)], (e) => (e ? reject(e) : resolve()));
        child.stdin?.end(login.password);
      });
    }
    // smtpd runs as the postfix user and opens the database itself.
    await run('chown', ['-R', 'postfix:postfix', saslDir]);
  }
  const mainText = main + (options.sasl?.length ? `smtpd_sasl_type = cyrus\nsmtpd_sasl_path = smtpd\ncyrus_sasl_config_path = ${saslDir}\n` : '');
  fs.writeFileSync(path.join(dir, 'main.cf'), mainText);
  fs.writeFileSync(path.join(dir, 'master.cf'), master);
  for (const [name, text] of Object.entries(options.files ?? {})) fs.writeFileSync(path.join(dir, name), text);

  const log = (): string => (fs.existsSync(maillog) ? fs.readFileSync(maillog, 'utf8') : '');
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const pidFile = path.join(queue, 'pid', 'master.pid');
    const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').trim()) : undefined;
    await run(POSTFIX, ['-c', dir, 'stop']).catch(() => run(POSTFIX, ['-c', dir, 'abort']).catch(() => undefined));
    // `postfix stop` only signals the master; wait until it is gone so the directory can be removed.
    for (let i = 0; pid && i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const start = async (): Promise<PostfixPeer> => {
    const started = await postfixCommand(dir, ['start'], options.netns);
    if (started.code !== 0) {
      const text = `postfix start failed (exit ${started.code}): ${started.output}\n--- maillog ---\n${log()}`;
      await stop();
      throw new Error(text);
    }
    const deadline = Date.now() + 10_000;
    for (const [name, port] of Object.entries(ports)) {
      // smtps speaks TLS first, so there only a connect is awaited.
      const wantBytes = name !== 'smtps' && options.readyWhen !== 'listening';
      while (!(await (options.netns ? canConnectIn(options.netns, address, port, wantBytes) : canConnect(port, wantBytes)))) {
        if (Date.now() > deadline) {
          const text = `Postfix did not accept on ${name} ${address}:${port} within 10 s\n--- maillog ---\n${log()}`;
          await stop();
          throw new Error(text);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return { configDir: dir, ports, banner, myhostname, log, stop };
  };
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true });
  return { configDir: dir, ports, mainCf: mainText, masterCf: master, start, remove };
}

/**
 * Runs `postfix -c DIR ARGS` on a pseudo-terminal: the postfix command prints its fatal errors only to a
 * terminal (or to a mail log it could not find when main.cf is unreadable). `script` is util-linux's.
 */
export async function postfixCommand(dir: string, args: readonly string[], netns?: string): Promise<{ code: number; output: string }> {
  const env = { ...process.env, MAIL_CONFIG: dir };
  const command = [...(netns ? ['ip', 'netns', 'exec', netns] : []), POSTFIX, '-c', dir, ...args];
  const quoted = command.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const tty = fs.existsSync('/usr/bin/script');
  try {
    const { stdout, stderr } = tty ? await run('/usr/bin/script', ['-qec', quoted, '/dev/null'], { env }) : await run(command[0], command.slice(1), { env });
    return { code: 0, output: (stdout + stderr).replace(/\r/g, '') };
  } catch (e) {
    const err = e as { code?: number | string; stdout?: string; stderr?: string; message: string };
    const output = `${err.stdout ?? ''}${err.stderr ?? ''}` || err.message;
    return { code: typeof err.code === 'number' ? err.code : 1, output: output.replace(/\r/g, '') };
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** canConnect, from inside a network namespace (one short node process per try). */
async function canConnectIn(netns: string, address: string, port: number, wantBytes: boolean): Promise<boolean> {
  const script = `const s=require('net').connect(${port},'${address}');const t=setTimeout(()=>process.exit(1),1000);s.once('error',()=>process.exit(1));s.once('${wantBytes ? 'data' : 'connect'}',()=>{clearTimeout(t);s.destroy();process.exit(0)});`;
  try {
    await run('ip', ['netns', 'exec', netns, process.execPath, '-e', script], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}
