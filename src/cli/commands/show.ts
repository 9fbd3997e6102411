// smtp-doctor show: a main.cf as `postconf -n` prints it, a master.cf as `postconf -M` does.
import { dirname, join, relative, resolve } from 'path';
import { configKindOfPath, unreadableReason } from '../../core/discover';
import { fileExists, fileSize, readWholeFile } from '../../core/fileWalk';
import { parsePostfixInstance } from '../../core/sources/postfix/instance';
import { parseMasterCf } from '../../core/sources/postfix/masterCf';
import { releaseProblem } from '../../core/sources/postfix/postfixVersion';
import { mainCfRefusal, masterCfRefusal, showMainCf, showMasterCf } from '../../core/sources/postfix/show';
import { InputError, type Io, UsageError } from '../args';

export function show(argv: readonly string[], io: Io): number {
  const args: string[] = [];
  let postfixVersion: { version: string; why: string } | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--postfix-version' || a.startsWith('--postfix-version=')) {
      const v = a === '--postfix-version' ? (argv[++i] ?? '') : a.slice('--postfix-version='.length);
      const problem = releaseProblem(v);
      if (problem) throw new UsageError(`--postfix-version: ${problem}`, 'show');
      postfixVersion = { version: v, why: `--postfix-version ${v}` };
    } else args.push(a);
  }
  if (args.length !== 1 || args[0].startsWith('-')) throw new UsageError(args.length === 1 ? `unknown option "${args[0]}"` : 'show takes exactly one FILE', 'show');
  const file = resolve(io.cwd, args[0]);
  const text = readForShow(file, args[0]);
  if (configKindOfPath(file) === 'postfix-master') {
    const master = parseMasterCf({ file, text }, { plain: true });
    const refused = masterCfRefusal(master);
    if (refused) {
      io.err(`smtp-doctor: ${args[0]}, ${refused}\n`);
      return 1;
    }
    io.out(showMasterCf(master));
    return 0;
  }
  // Like postconf -n, leave out names Postfix would call "unused" (which needs the sibling master.cf).
  const masterPath = join(dirname(file), 'master.cf');
  const master = fileExists(masterPath) ? { file: masterPath, text: readForShow(masterPath, relative(io.cwd, masterPath)) } : undefined;
  const instance = parsePostfixInstance({ main: { file, text }, master, postfixVersion }, { plain: true, assumeStandardServices: false });
  // Like postconf -n, print nothing and fail where Postfix refuses the file (or the master.cf it reads too).
  const refused = mainCfRefusal(instance.main!) ?? (instance.master && masterCfRefusal(instance.master));
  if (refused) {
    io.err(`smtp-doctor: ${args[0]}, ${refused}\n`);
    return 1;
  }
  io.out(showMainCf(instance.main!, (name) => instance.isUsedParameter(name)));
  return 0;
}

/** A file for `show`, refused (before reading it all) when it is too large or binary. */
function readForShow(file: string, shown: string): string {
  const size = fileSize(file);
  if (size === undefined) throw new InputError(`cannot read "${shown}"`);
  const tooLarge = unreadableReason('', size);
  if (tooLarge) throw new InputError(`${shown}: ${tooLarge}`);
  const text = readWholeFile(file);
  if (text === undefined) throw new InputError(`cannot read "${shown}"`);
  const binary = unreadableReason(text);
  if (binary) throw new InputError(`${shown}: ${binary}`);
  return text;
}
