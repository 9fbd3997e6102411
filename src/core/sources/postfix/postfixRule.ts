import type { Rule, RuleReport } from '../../model';
import type { PostfixInstance } from './instance';
import type { Span } from './mainCf';

export type PostfixFileKind = 'main' | 'master';

export interface SpanEdit {
  readonly span: Span;
  readonly newText: string;
}

/** What a Postfix rule reports; the engine adds the rule id, the file and the range. */
export interface PostfixReport extends RuleReport {
  readonly file: PostfixFileKind;
  readonly span: Span;
  readonly fixes?: readonly { readonly title: string; readonly edits: readonly SpanEdit[]; readonly preferred?: boolean }[];
  readonly related?: readonly { readonly file: PostfixFileKind; readonly span: Span; readonly message: string }[];
}

/** A Postfix rule: metadata plus one function from a parsed configuration to reports. */
export type PostfixRule = Rule<PostfixInstance, PostfixReport>;
