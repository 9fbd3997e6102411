import * as vscode from 'vscode';
import { describeParameter } from '../core/postfix/describe';
import { parsePostfixInstance } from '../core/postfix/instance';
import { parameterNameAt } from '../core/postfix/nameAt';
import type { ConfigSources } from './configSources';
import { toVsRange } from './convert';

const MAX_SHOWN = 400;

function code(text: string): string {
  const shown = text.length > MAX_SHOWN ? text.slice(0, MAX_SHOWN) + '…' : text;
  return shown === '' ? '*(empty)*' : '`` ' + shown.replace(/`/g, "'") + ' ``';
}

/** Hover on a Postfix parameter name: its default and the value in force after `$` expansion. */
export class PostfixHoverProvider implements vscode.HoverProvider {
  constructor(private readonly sources: ConfigSources) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const pair = await this.sources.postfixPair(document.uri);
    const fileKind = this.sources.kindOf(document.uri) === 'postfix-master' ? 'master' : 'main';
    const instance = parsePostfixInstance(pair);
    const cf = fileKind === 'main' ? instance.main : instance.master;
    if (!cf) return undefined;
    const hit = parameterNameAt(instance, fileKind, document.offsetAt(position));
    if (!hit) return undefined;

    const d = describeParameter(instance, hit.name);
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${hit.name}**${d.known ? '' : ' — *not a Postfix ' + d.postfixVersion + ' parameter*'}\n\n`);
    if (d.defaultValue !== undefined) {
      md.appendMarkdown(
        `Default: ${code(d.defaultValue)}${d.hostDependentDefault ? ' *(computed by Postfix from this host)*' : ''}\n\n`,
      );
    } else md.appendMarkdown('Default: *none (user-defined name)*\n\n');
    if (d.effectiveValue !== undefined) {
      md.appendMarkdown(`Effective value: ${code(d.effectiveValue)}\n\n`);
      if (d.rawValue !== undefined && d.rawValue !== d.effectiveValue) md.appendMarkdown(`As written: ${code(d.rawValue)}\n\n`);
    } else md.appendMarkdown('Effective value: *undefined (expands to nothing)*\n\n');
    if (d.definedAt && fileKind === 'master') md.appendMarkdown(`Set in main.cf on line ${d.definedAt.firstLine + 1}.\n\n`);
    else if (d.definedAt && d.definedAt.nameSpan.start !== hit.span.start) {
      md.appendMarkdown(`Set on line ${d.definedAt.firstLine + 1}.\n\n`);
    } else if (!d.definedAt) md.appendMarkdown('Not set in main.cf: the default applies.\n\n');
    md.appendMarkdown(`[postconf(5)](https://www.postfix.org/postconf.5.html#${encodeURIComponent(hit.name)})`);
    return new vscode.Hover(md, toVsRange(cf.range(hit.span)));
  }
}
