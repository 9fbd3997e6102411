// Reports of everything the extension found: Markdown on the clipboard, JSON or SARIF to a file.
import * as vscode from 'vscode';
import { version } from '../../../package.json';
import { formatJson } from '../../core/report/json';
import { formatMarkdown } from '../../core/report/markdown';
import { buildReport } from '../../core/report/report';
import { formatSarif } from '../../core/report/sarif';
import { allRuleMetas } from '../../core/rules';
import { type CommandContext, relative, staticFindings } from './commandContext';

/** Everything the reports show, paths relative to the workspace folder. */
function reportData(ctx: CommandContext) {
  return buildReport({ findings: [...staticFindings(ctx), ...ctx.live.allFindings()], endpoints: ctx.diagnostics.endpoints, live: ctx.live.lastReport, displayPath: relative });
}

/** "Copy Report (Markdown)": returns the Markdown it put on the clipboard. */
export function copyReport(ctx: CommandContext) {
  return async (): Promise<string> => {
    const data = reportData(ctx);
    const markdown = formatMarkdown({ ...data, title: vscode.workspace.name, generatedAt: new Date().toISOString() });
    await vscode.env.clipboard.writeText(markdown);
    ctx.log.info(`report copied: ${data.findings.length} finding(s), ${data.endpoints.length} endpoint(s), ${data.live?.probes.length ?? 0} probe(s)`);
    void vscode.window.setStatusBarMessage('SMTP Doctor: report copied to the clipboard', 3000);
    return markdown;
  };
}

/** "Export Report…": JSON or SARIF (by the file's extension); a Uri argument skips the save dialog. */
export function exportReport(ctx: CommandContext) {
  return async (target?: vscode.Uri): Promise<string | undefined> => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri =
      target instanceof vscode.Uri
        ? target
        : await vscode.window.showSaveDialog({
            title: 'SMTP Doctor: Export Report',
            saveLabel: 'Export',
            defaultUri: folder && vscode.Uri.joinPath(folder, 'smtp-doctor-report.json'),
            filters: { JSON: ['json'], SARIF: ['sarif'] },
          });
    if (!uri) return undefined;
    const data = reportData(ctx);
    const sarif = /\.sarif(\.json)?$/i.test(uri.path);
    const text = sarif
      ? formatSarif(data, allRuleMetas(), version)
      : formatJson(data);
    try {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    } catch (error) {
      ctx.log.error(`export to ${uri.fsPath} failed`, error);
      void vscode.window.showErrorMessage(`SMTP Doctor: could not write ${uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    ctx.log.info(`report exported as ${sarif ? 'SARIF' : 'JSON'} to ${uri.fsPath}`);
    // Said where it went, with a way there (the scan never reads our own reports as configuration).
    void vscode.window.showInformationMessage(`SMTP Doctor: report saved to ${vscode.workspace.asRelativePath(uri, false)}`, 'Open').then((pick) => {
      if (pick) void vscode.window.showTextDocument(uri, { preview: false });
    });
    return uri.toString();
  };
}

