// What the Results view's nodes offer: rule docs, the filter, copy, suppress, a probe's transcript, and
// forgetting a host checked by hand.
import * as vscode from 'vscode';
import { ruleDocsPath, ruleDocsUrl } from '../../core/model';
import { formatProbeDetails } from '../../core/report/liveText';
import { probeSummary } from '../../core/report/probeRows';
import type { ResultNode, ResultsFilter } from '../../core/report/resultNode';
import { redactText } from '../../core/redact';
import { suppressionEdit } from '../../core/suppressions';
import { toVsRange } from '../convert';
import { COMMANDS, type CommandContext, relative } from './commandContext';

/** The page of one probe: summary, certificate, timings and the transcript. */
export async function showProbeDetails(ctx: CommandContext, host: string, port: number): Promise<vscode.TextDocument | undefined> {
  const probe = ctx.live.probeResult(host, port);
  if (!probe) {
    void vscode.window.showInformationMessage(`SMTP Doctor: ${host}:${port} has no live result yet.`);
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: formatProbeDetails(probe, `${host}:${probeSummary(probe)}`) });
  await vscode.window.showTextDocument(doc, { preview: true });
  return doc;
}


/** Opens a rule's docs page rendered: the page shipped with the extension in the Markdown preview, else on the web. */
export function openRuleDocs(ctx: CommandContext) {
  return async (ruleId?: unknown): Promise<string | undefined> => {
    if (typeof ruleId !== 'string' || !/^[a-z]+\/[a-z0-9-]+$/.test(ruleId)) return undefined;
    const page = vscode.Uri.joinPath(ctx.extensionUri, ruleDocsPath(ruleId));
    try {
      await vscode.workspace.fs.stat(page);
      await vscode.commands.executeCommand('markdown.showPreview', page);
      return page.toString();
    } catch (error) {
      ctx.log.debug(`no rendered docs page for ${ruleId} here (${error instanceof Error ? error.message : String(error)}): opening the web page`);
      const url = vscode.Uri.parse(ruleDocsUrl(ruleId));
      await vscode.env.openExternal(url);
      return url.toString();
    }
  };
}

const FILTERS: readonly { readonly filter: ResultsFilter; readonly label: string; readonly detail: string }[] = [
  { filter: 'all', label: 'All results', detail: 'Live results and each file\'s problems' },
  { filter: 'live', label: 'Live results only', detail: 'Servers, domains and addresses with their checks' },
  { filter: 'errors', label: 'Errors only', detail: 'Only what is an error, with the nodes that lead to it' },
];

/** "Filter Results": all, live results only, or errors only (a quick pick, or the filter as argument). */
export function filterResults(ctx: CommandContext) {
  return async (arg?: unknown): Promise<ResultsFilter | undefined> => {
    let filter = FILTERS.find((f) => f.filter === arg)?.filter;
    if (!filter) {
      const pick = await vscode.window.showQuickPick(
        FILTERS.map((f) => ({ label: f.label, detail: f.detail, filter: f.filter, picked: f.filter === ctx.results.currentFilter })),
        { title: 'SMTP Doctor: Filter Results' },
      );
      filter = pick?.filter;
    }
    if (filter) ctx.results.setFilter(filter);
    return filter;
  };
}

/** A node as text: what the panel shows, and where it comes from. */
function nodeText(node: ResultNode): string {
  const where = node.location?.file ? ` (${relative(node.location.file)}:${node.location.range.start.line + 1})` : '';
  const own = `${node.label}${node.description ? ` — ${node.description}` : ''}${where}`;
  return redactText([own, ...node.children.map((c) => `  ${c.label}${c.description ? ` — ${c.description}` : ''}`)].join('\n'));
}

/** The rule a node stands for: its only one, or the one the user picks. */
async function ruleOf(node: ResultNode): Promise<string | undefined> {
  const ids = node.ruleIds ?? [];
  if (ids.length <= 1) return ids[0];
  return vscode.window.showQuickPick([...ids], { title: 'SMTP Doctor: which rule?' });
}

/** "Suppress on This Line" on a finding node: writes the suppression comment above the config line. */
export function suppressFinding(ctx: CommandContext) {
  return async (node?: ResultNode): Promise<boolean> => {
    const at = node?.location;
    const ruleId = node && at?.file ? await ruleOf(node) : undefined;
    if (!at || !ruleId) return false;
    const uri = vscode.Uri.parse(at.file);
    const doc = await vscode.workspace.openTextDocument(uri);
    const edit = suppressionEdit(uri.path, doc.getText(), { ruleId, range: at.range });
    if (!edit) {
      void vscode.window.showInformationMessage(`SMTP Doctor: ${relative(at.file)} has no comments to suppress ${ruleId} with; set it to "off" in .smtpdoctor.yaml instead.`);
      return false;
    }
    const change = new vscode.WorkspaceEdit();
    change.insert(uri, toVsRange(edit.range).start, edit.newText);
    const applied = await vscode.workspace.applyEdit(change);
    ctx.log.info(`suppressed ${ruleId} on ${relative(at.file)}:${at.range.start.line + 1}`);
    return applied;
  };
}

/** A server node's host and port. */
const endpointOf = (node?: ResultNode) => (node?.host && node.port ? { host: node.host, port: node.port } : undefined);

/** "Copy": a node as text on the clipboard. */
export function copyResult() {
  return async (node?: ResultNode): Promise<string | undefined> => {
    if (!node) return undefined;
    const text = nodeText(node);
    await vscode.env.clipboard.writeText(text);
    return text;
  };
}

/** "Open Rule Docs" on a finding node. */
export function openFindingDocs() {
  return async (node?: ResultNode): Promise<unknown> => {
    const ruleId = node && (await ruleOf(node));
    return ruleId ? vscode.commands.executeCommand(COMMANDS.openRuleDocs, ruleId) : undefined;
  };
}

/** "Show Transcript" on a server node (or a host and port): the probe's page, as text. */
export function showTranscript(ctx: CommandContext) {
  return async (node?: ResultNode | { host: string; port: number }): Promise<string | undefined> => {
    const e = node && 'host' in node && typeof node.host === 'string' && typeof node.port === 'number' ? { host: node.host, port: node.port } : undefined;
    const doc = e && (await showProbeDetails(ctx, e.host, e.port));
    return doc?.getText();
  };
}

/** "Remove" on a host checked by hand. */
export function removeCheckedHost(ctx: CommandContext) {
  return (node?: ResultNode): boolean => {
    const e = endpointOf(node);
    return e ? ctx.live.removeCheckedHost(e.host, e.port) : false;
  };
}
