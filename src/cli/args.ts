// What every CLI command shares: the I/O seam, the two ways a run ends early, and the network options.

/** Where a command writes, and the folder its relative paths start from. */
export interface Io {
  out(s: string): void;
  err(s: string): void;
  cwd: string;
}

// Each command is its own bundle with its own copy of these classes, so the dispatcher tells them apart
// by `kind`, not by instanceof.

/** Bad usage: said with the command's usage text, exit 2. */
export class UsageError extends Error {
  readonly kind = 'usage';
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

/** A file the command cannot use (missing, too large, binary): said in one line, exit 2, no usage text. */
export class InputError extends Error {
  readonly kind = 'input';
}

/** The expected way a run ends early, whichever bundle threw it. */
export function asCliError(e: unknown): { kind: 'usage'; message: string; command?: string } | { kind: 'input'; message: string } | undefined {
  if (!(e instanceof Error)) return undefined;
  const kind = (e as { kind?: unknown }).kind;
  if (kind === 'usage') return { kind, message: e.message, command: (e as UsageError).command };
  if (kind === 'input') return { kind, message: e.message };
  return undefined;
}

/** Options shared by the commands that touch the network. */
export interface NetOptions {
  timeoutMs?: number;
  dns: string[];
  concurrency?: number;
  ehlo?: string;
  /** Independent MX hosts probed on 25 to tell a filtered host from a network that blocks 25. */
  probeHosts?: string[];
  /** DNSBL zones for the blocklist check ([] with --dnsbl none). */
  dnsbl?: string[];
}

/** A flag and its value, from `--flag value` or `--flag=value`; `used` is how many arguments it took. */
export function flagValue(args: readonly string[], i: number): { flag: string; value: string | undefined; used: number } {
  const eq = args[i].indexOf('=');
  if (args[i].startsWith('--') && eq > 0) return { flag: args[i].slice(0, eq), value: args[i].slice(eq + 1), used: 1 };
  return { flag: args[i], value: args[i + 1], used: 2 };
}

/** Consumes a network option at args[i]; returns how many arguments it used (0 if not one). */
export function netOption(args: readonly string[], i: number, net: NetOptions, command: string): number {
  const { flag, value, used } = flagValue(args, i);
  const positive = (what: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${what} takes a positive whole number, not "${value ?? ''}"`, command);
    return n;
  };
  switch (flag) {
    case '--timeout':
      net.timeoutMs = positive('--timeout');
      return used;
    case '--concurrency':
      net.concurrency = positive('--concurrency');
      return used;
    case '--dns':
      if (!value || !/^[^\s:]+(:\d+)?$|^\[[0-9a-f:.]+\](:\d+)?$/i.test(value)) throw new UsageError(`--dns takes HOST[:PORT], not "${value ?? ''}"`, command);
      net.dns.push(value);
      return used;
    case '--ehlo':
      if (!value) throw new UsageError('--ehlo takes a name', command);
      net.ehlo = value;
      return used;
    case '--dnsbl':
      if (!value) throw new UsageError('--dnsbl takes ZONE[,ZONE...] or none', command);
      net.dnsbl = value === 'none' ? [] : value.split(',').map((z) => z.trim()).filter(Boolean);
      return used;
    case '--probe-hosts':
      if (!value) throw new UsageError('--probe-hosts takes HOST[,HOST...]', command);
      net.probeHosts = value.split(',').map((h) => h.trim()).filter(Boolean);
      return used;
  }
  return 0;
}

/** `--format X`, `-f X` or `--format=X` at args[i]: the format and the arguments used, or undefined. */
export function formatOption(args: readonly string[], i: number): { format: string; used: number } | undefined {
  if (args[i] === '--format' || args[i] === '-f') return { format: args[i + 1] ?? '', used: 2 };
  if (args[i].startsWith('--format=')) return { format: args[i].slice('--format='.length), used: 1 };
  return undefined;
}
