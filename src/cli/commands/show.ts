// smtp-doctor show: a main.cf as `postconf -n` prints it, a master.cf as `postconf -M` does.
import * as path from 'path';
import { configKindOfPath, unreadableReason } from '../../core/discover';
import { fileExists, fileSize, readWholeFile } from '../../core/fileWalk';
import { parsePostfixInstance } from '../../core/postfix/instance';
import { parseMasterCf } from '../../core/postfix/masterCf';
import { showMainCf, showMasterCf } from '../../core/postfix/show';
import { InputError, type Io, UsageError } from '../args';

export function show(args: readonly string[], io: Io): number {
  if (args.length !== 1 || args[0].startsWith('-')) throw new UsageError(args.length === 1 ? `unknown option "${args[0]}"` : 'show takes exactly one FILE', 'show');
  const file = path.resolve(io.cwd, args[0]);
  const text = readForShow(file, args[0]);
  if (configKindOfPath(file) === 'postfix-master') {
    io.out(showMasterCf(parseMasterCf({ file, text })));
    return 0;
  }
  // Like postconf -n, leave out names Postfix would call "unused" (which needs the sibling master.cf).
  const masterPath = path.join(path.dirname(file), 'master.cf');
  const master = fileExists(masterPath) ? { file: masterPath, text: readForShow(masterPath, path.relative(io.cwd, masterPath)) } : undefined;
  const instance = parsePostfixInstance({ main: { file, text }, master });
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
