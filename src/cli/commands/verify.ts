// smtp-doctor verify FILE:LINE: log in as the transport or relayhost defined there would, report the server's
// answer, quit. No mail is sent; the password is never printed.
import { dirname, relative, resolve } from 'path';
import { checkFiles } from '../../core/check';
import { collectConfigFiles, readWholeFile } from '../../core/fileWalk';
import { loginTargetAt } from '../../core/loginTarget';
import { resolveAddresses } from '../../core/live/dnsChecks';
import { verifyLogin } from '../../core/live/verifyLogin';
import { redactStrings } from '../../core/redact';
import { formatOption, InputError, type Io, type NetOptions, netOption, UsageError } from '../args';

const MODE_LABEL = { implicit: 'TLS at connect', 'starttls-required': 'STARTTLS, required', 'starttls-opportunistic': 'STARTTLS if offered', none: 'no TLS' } as const;

export async function verify(args: readonly string[], io: Io): Promise<number> {
  let format = 'text';
  const net: NetOptions = { dns: [] };
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const used = netOption(args, i, net, 'verify');
    const f = used ? undefined : formatOption(args, i);
    if (used) i += used - 1;
    else if (f) {
      format = f.format;
      i += f.used - 1;
    } else if (args[i].startsWith('-')) throw new UsageError(`unknown option "${args[i]}"`, 'verify');
    else targets.push(args[i]);
  }
  if (targets.length !== 1) throw new UsageError('verify takes exactly one FILE:LINE', 'verify');
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format must be text or json, not "${format}"`, 'verify');
  const m = /^(.+):(\d+)$/.exec(targets[0]);
  if (!m || Number(m[2]) < 1) throw new UsageError(`"${targets[0]}" is not FILE:LINE (lines count from 1)`, 'verify');
  const file = resolve(io.cwd, m[1]);
  const text = readWholeFile(file);
  if (text === undefined) throw new InputError(`no such file: ${m[1]}`);

  // The file's folder tree, or the working folder when the file is in it: .env files there resolve process.env.
  const inside = !relative(io.cwd, file).startsWith('..');
  const { files } = collectConfigFiles([inside ? io.cwd : dirname(file)]);
  if (!files.some((f) => f.file === file)) files.push({ file, text });
  const found = loginTargetAt(checkFiles(files), file, Number(m[2]) - 1, readWholeFile);
  if (!found.ok) throw new InputError(`${m[1]}:${m[2]}: ${found.reason}`);
  const t = found.login.target;
  const dns = { servers: net.dns.length ? net.dns : undefined, timeoutMs: net.timeoutMs ?? 5000 };
  const result = await verifyLogin(t, { stepTimeoutMs: net.timeoutMs, lookup: net.dns.length ? (h) => resolveAddresses(h, dns) : undefined });
  if (format === 'json') io.out(JSON.stringify(redactStrings({ ...result, mode: t.mode, client: t.client }), null, 2) + '\n');
  else {
    io.out(`Login of ${t.user} at ${t.host}:${t.port} (${MODE_LABEL[t.mode]}, as ${t.client} would), then QUIT; no mail is sent.\n`);
    io.out(`${result.outcome}: ${result.detail}${result.reply ? `\n  server: ${result.reply}` : ''}${result.tls?.version ? `\n  TLS: ${result.tls.version}${result.tls.cipher ? ` ${result.tls.cipher}` : ''}` : ''}\n`);
  }
  return result.outcome === 'accepted' ? 0 : 1;
}
