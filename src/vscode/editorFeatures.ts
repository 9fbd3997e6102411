// Completion, go to definition, find references and the outline for main.cf and master.cf: thin adapters over
// core/sources/postfix/editing.ts.
import * as vscode from 'vscode';
import { type CompletionCandidate, type OutlineSymbol, completionsAt, definitionOf, nameAt, occurrencesOf, outlineOf } from '../core/sources/postfix/editing';
import { type PostfixInstance, parsePostfixInstance } from '../core/sources/postfix/instance';
import { redactText, redactValue } from '../core/redact';
import { isMapConfig } from '../core/workspaceLint';
import type { ConfigSources } from './configSources';
import { toVsRange } from './convert';

const COMPLETION_KIND: Readonly<Record<CompletionCandidate['kind'], vscode.CompletionItemKind>> = {
  parameter: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.EnumMember,
  'table-type': vscode.CompletionItemKind.Module,
  restriction: vscode.CompletionItemKind.Keyword,
};

/** The Postfix configuration a document belongs to, the kind of file it is, and where its sibling lives. */
async function instanceOf(sources: ConfigSources, document: vscode.TextDocument): Promise<{ instance: PostfixInstance; file: 'main' | 'master'; uriOf: (f: 'main' | 'master') => vscode.Uri } | undefined> {
  if (isMapConfig({ file: document.uri.toString(), text: document.getText() })) return undefined;
  const file = sources.kindOf(document.uri) === 'postfix-master' ? 'master' : 'main';
  const instance = parsePostfixInstance(await sources.postfixPair(document.uri));
  const sibling = vscode.Uri.joinPath(document.uri, '..', file === 'main' ? 'master.cf' : 'main.cf');
  return { instance, file, uriOf: (f) => (f === file ? document.uri : sibling) };
}

function rangeIn(instance: PostfixInstance, file: 'main' | 'master', span: { start: number; end: number }): vscode.Range | undefined {
  const cf = file === 'main' ? instance.main : instance.master;
  return cf && toVsRange(cf.range(span));
}

export class PostfixCompletionProvider implements vscode.CompletionItemProvider {
  static readonly triggerCharacters = ['$', '{', '=', ' ', ','];

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    if (isMapConfig({ file: document.uri.toString(), text: document.getText() })) return [];
    const kind = document.languageId === 'postfix-master' ? 'master' : 'main';
    const text = document.getText();
    const { items, replace } = completionsAt(kind, text, document.offsetAt(position));
    const range = new vscode.Range(document.positionAt(replace.start), document.positionAt(replace.end));
    return items.map((c) => {
      const item = new vscode.CompletionItem(c.label, COMPLETION_KIND[c.kind]);
      item.detail = c.detail;
      item.insertText = c.insertText ?? c.label;
      item.range = range;
      return item;
    });
  }
}

export class PostfixDefinitionProvider implements vscode.DefinitionProvider, vscode.ReferenceProvider {
  constructor(private readonly sources: ConfigSources) {}

  async provideDefinition(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Location | undefined> {
    const ctx = await instanceOf(this.sources, document);
    const hit = ctx && nameAt(ctx.instance, ctx.file, document.offsetAt(position));
    const def = ctx && hit && definitionOf(ctx.instance, hit.name);
    const range = ctx && def && rangeIn(ctx.instance, def.file, def.span);
    return ctx && def && range ? new vscode.Location(ctx.uriOf(def.file), range) : undefined;
  }

  async provideReferences(document: vscode.TextDocument, position: vscode.Position, context: vscode.ReferenceContext): Promise<vscode.Location[]> {
    const ctx = await instanceOf(this.sources, document);
    const hit = ctx && nameAt(ctx.instance, ctx.file, document.offsetAt(position));
    if (!ctx || !hit) return [];
    return occurrencesOf(ctx.instance, hit.name)
      .filter((o) => context.includeDeclaration || o.role === 'reference')
      .flatMap((o) => {
        const range = rangeIn(ctx.instance, o.file, o.span);
        return range ? [new vscode.Location(ctx.uriOf(o.file), range)] : [];
      });
  }
}

export class PostfixSymbolProvider implements vscode.DocumentSymbolProvider {
  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    if (isMapConfig({ file: document.uri.toString(), text: document.getText() })) return [];
    const file = document.languageId === 'postfix-master' ? 'master' : 'main';
    const source = { file: document.uri.toString(), text: document.getText() };
    const instance = parsePostfixInstance(file === 'main' ? { main: source } : { master: source });
    const cf = file === 'main' ? instance.main : instance.master;
    if (!cf) return [];
    const convert = (s: OutlineSymbol): vscode.DocumentSymbol => {
      const symbol = new vscode.DocumentSymbol(
        s.name,
        s.detail,
        s.kind === 'service' ? vscode.SymbolKind.Class : s.kind === 'override' ? vscode.SymbolKind.Field : vscode.SymbolKind.Property,
        toVsRange(cf.range(s.span)),
        toVsRange(cf.range(s.nameSpan)),
      );
      symbol.children = s.children.map(convert);
      return symbol;
    };
    return outlineOf(instance, file, (name, value) => redactText(redactValue(name, value))).map(convert);
  }
}
