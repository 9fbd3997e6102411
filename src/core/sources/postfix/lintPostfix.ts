import { type Finding, type SourceFile, runRules } from '../../model';
import { type ConfigDirFiles, type PostfixInstance, parsePostfixInstance } from './instance';
import type { PostfixFileKind, PostfixReport, PostfixRule } from './postfixRule';
import { POSTFIX_RULES } from './rules';
import { TEMPLATE_MARK } from './template';

/** Template code quoted in a message (masked in the parsed text) shows as "…". */
const TEMPLATE_RUN = new RegExp(`${TEMPLATE_MARK}+`, 'g');

export interface PostfixFiles {
  readonly main?: SourceFile;
  readonly master?: SourceFile;
  /** The files next to main.cf (see PostfixInstance.configDirFiles); optional. */
  readonly configDirFiles?: ConfigDirFiles;
  /** The Postfix release the user says the files are for (see PostfixInstance.target). */
  readonly postfixVersion?: { readonly version: string; readonly why: string };
}

/** Runs every Postfix rule over one configuration directory's files. */
export function lintPostfix(files: PostfixFiles, rules: readonly PostfixRule[] = POSTFIX_RULES): Finding[] {
  return lintPostfixInstance(parsePostfixInstance(files), rules);
}

export function lintPostfixInstance(instance: PostfixInstance, rules: readonly PostfixRule[] = POSTFIX_RULES): Finding[] {
  const fileOf = (kind: PostfixFileKind) => (kind === 'main' ? instance.main : instance.master);
  const first = instance.main ?? instance.master;
  return runRules(rules, instance, {
    place: (r: PostfixReport) => {
      const cf = fileOf(r.file);
      if (!cf) return undefined;
      return {
        file: cf.source.file,
        range: cf.range(r.span),
        fixes: r.fixes?.map((f) => ({
          title: f.title,
          preferred: f.preferred,
          edits: f.edits.map((e) => ({ range: cf.range(e.span), newText: e.newText })),
        })),
        related: r.related?.flatMap((rel) => {
          const other = fileOf(rel.file);
          return other ? [{ file: other.source.file, range: other.range(rel.span), message: rel.message }] : [];
        }),
      };
    },
    internalErrorAt: first ? { file: first.source.file, range: first.range({ start: 0, end: 0 }) } : undefined,
    rewriteText: (text) => text.replace(TEMPLATE_RUN, '…'),
  });
}
