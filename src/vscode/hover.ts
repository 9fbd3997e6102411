import * as vscode from 'vscode';
import type { Finding } from '../core/model';
import { describeParameter } from '../core/sources/postfix/describe';
import { overrideAt } from '../core/sources/postfix/editing';
import { parsePostfixInstance } from '../core/sources/postfix/instance';
import { parameterNameAt } from '../core/sources/postfix/nameAt';
import { redactText, redactValue } from '../core/redact';
import { isMapConfig } from '../core/workspaceLint';
import type { ConfigSources } from './configSources';
import { ruleDocsLink, toVsRange } from './convert';

const MAX_SHOWN = 400;

function code(text: string): string {
  const shown = text.length > MAX_SHOWN ? text.slice(0, MAX_SHOWN) + '…' : text;
  return shown === '' ? '*(empty)*' : '`` ' + shown.replace(/`/g, "'") + ' ``';
}

/**
 * Hover on a Postfix parameter name: its default and the value in force after `$` expansion; on a master.cf
 * `-o name=value`, what the service overrides. Values of secret-named parameters are masked, whatever the
 * file; a lookup-table config (ldap:, mysql:... file) gets no hover at all: it is not main.cf.
 */
export class PostfixHoverProvider implements vscode.HoverProvider {
  constructor(private readonly sources: ConfigSources) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    if (isMapConfig({ file: document.uri.toString(), text: document.getText() })) return undefined;
    const pair = await this.sources.postfixPair(document.uri);
    const fileKind = this.sources.kindOf(document.uri) === 'postfix-master' ? 'master' : 'main';
    const instance = parsePostfixInstance(pair);
    const cf = fileKind === 'main' ? instance.main : instance.master;
    if (!cf) return undefined;
    const offset = document.offsetAt(position);
    const hit = parameterNameAt(instance, fileKind, offset);
    if (!hit) return undefined;

    const d = describeParameter(instance, hit.name);
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${hit.name}**${d.known ? '' : ' — *not a Postfix ' + d.postfixVersion + ' parameter*'}\n\n`);
    const override = fileKind === 'master' ? overrideAt(instance, offset) : undefined;
    if (override && override.name === hit.name) {
      md.appendMarkdown(`Overridden for the ${override.service} service: ${code(redactText(redactValue(override.name, override.value)))}\n\n`);
      md.appendMarkdown(`Elsewhere (main.cf): ${d.effectiveValue !== undefined ? code(d.effectiveValue) : '*undefined*'}\n\n`);
    }
    if (d.defaultValue !== undefined) {
      md.appendMarkdown(`Default: ${code(d.defaultValue)}${d.hostDependentDefault ? ' *(computed by Postfix from this host)*' : ''}\n\n`);
    } else md.appendMarkdown('Default: *none (user-defined name)*\n\n');
    if (!override || override.name !== hit.name) {
      if (d.effectiveValue !== undefined) {
        md.appendMarkdown(`Effective value: ${code(d.effectiveValue)}\n\n`);
        if (d.rawValue !== undefined && d.rawValue !== d.effectiveValue) md.appendMarkdown(`As written: ${code(d.rawValue)}\n\n`);
      } else md.appendMarkdown('Effective value: *undefined (expands to nothing)*\n\n');
    }
    if (d.definedAt && fileKind === 'master') md.appendMarkdown(`Set in main.cf on line ${d.definedAt.firstLine + 1}.\n\n`);
    else if (d.definedAt && d.definedAt.nameSpan.start !== hit.span.start) {
      md.appendMarkdown(`Set on line ${d.definedAt.firstLine + 1}.\n\n`);
    } else if (!d.definedAt) md.appendMarkdown('Not set in main.cf: the default applies.\n\n');
    md.appendMarkdown(`[postconf(5)](https://www.postfix.org/postconf.5.html#${encodeURIComponent(hit.name)})`);
    return new vscode.Hover(md, toVsRange(cf.range(hit.span)));
  }
}

/**
 * The long explanation of the findings under the cursor (the diagnostic itself shows one sentence), with a
 * link to the rule's page. Nothing for findings that have no more to say.
 */
export class FindingDetailsHoverProvider implements vscode.HoverProvider {
  constructor(private readonly findingsFor: (uri: vscode.Uri) => readonly Finding[]) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const here = this.findingsFor(document.uri).filter((f) => f.details && toVsRange(f.range).contains(position));
    if (!here.length) return undefined;
    const md = new vscode.MarkdownString(undefined, false);
    md.isTrusted = { enabledCommands: ['smtpDoctor.openRuleDocs'] };
    for (const f of here) {
      md.appendMarkdown(`[${f.ruleId}](${ruleDocsLink(f.ruleId).toString()}) — `);
      md.appendText(redactText(f.details ?? ''));
      md.appendMarkdown('\n\n');
    }
    return new vscode.Hover(md, toVsRange(here[0].range));
  }
}
