// smtp-doctor: the command-line face of the engine (for CI and terminals).
// Only this dispatcher loads at start-up; each command's code (the JS/TS parser, the probes, the rule
// tables) is loaded when that command runs, so `--version` and `port` start about as fast as node itself.
import { asCliError, type Io, UsageError } from './cli/args';
import { type CommandName, isCommandName, usage } from './cli/usage';
import { version } from '../package.json';

export type { Io } from './cli/args';

type Command = (args: readonly string[], io: Io) => number | Promise<number>;

const COMMANDS: Record<CommandName, () => Promise<Command>> = {
  check: async () => (await import('./cli/commands/check')).check,
  port: async () => (await import('./cli/commands/port')).port,
  show: async () => (await import('./cli/commands/show')).show,
  rules: async () => (await import('./cli/commands/rules')).rules,
};

const HELP_FLAGS = new Set(['--help', '-h']);

export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === '--version' || command === '-v') {
      io.out(`${version}\n`);
      return 0;
    }
    if (command === undefined || HELP_FLAGS.has(command) || command === 'help') {
      if (command === undefined) throw new UsageError('no command given');
      const topic = command === 'help' ? rest[0] : undefined;
      if (topic !== undefined && !isCommandName(topic)) throw new UsageError(`unknown command "${topic}"`);
      io.out(usage(topic));
      return 0;
    }
    if (!isCommandName(command)) throw new UsageError(`unknown command "${command}"`);
    if (rest.some((a) => HELP_FLAGS.has(a))) {
      io.out(usage(command));
      return 0;
    }
    return await (await COMMANDS[command]())(rest, io);
  } catch (e) {
    const stop = asCliError(e);
    if (!stop) throw e;
    const command = stop.kind === 'usage' && isCommandName(stop.command) ? stop.command : undefined;
    io.err(stop.kind === 'usage' ? `smtp-doctor: ${stop.message}\n\n${usage(command)}` : `smtp-doctor: ${stop.message}\n`);
    return 2;
  }
}

if (require.main === module) {
  // `smtp-doctor rules | head`: a closed pipe ends the output, it is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(process.exitCode ?? 0);
    });
  }
  main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    cwd: process.cwd(),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`smtp-doctor: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 3;
    },
  );
}
