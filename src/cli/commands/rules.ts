// smtp-doctor rules: every rule with its default severity.
import { allRuleMetas } from '../../core/rules';
import { type Io, UsageError } from '../args';

export function rules(args: readonly string[], io: Io): number {
  if (args.length) throw new UsageError(`rules takes no arguments, not "${args[0]}"`, 'rules');
  for (const r of allRuleMetas()) io.out(`${r.id.padEnd(34)} ${r.defaultSeverity.padEnd(11)} ${r.description}\n`);
  return 0;
}
