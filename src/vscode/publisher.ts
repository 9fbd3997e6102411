import * as vscode from 'vscode';
import { consolidateFindings } from '../core/consolidate';
import type { Finding } from '../core/model';
import { toDiagnostic } from './convert';

/** Something that holds findings per file and says which files changed (static, application, project, live). */
export interface FindingSource {
  findingsFor(uri: vscode.Uri): readonly Finding[];
  readonly onDidChangeFindings: vscode.Event<readonly string[]>;
}

/**
 * The one place diagnostics are set. Every source keeps its own findings; a file's diagnostics are all of
 * them consolidated (core/consolidate.ts): one root cause, one diagnostic, so two sources never put two
 * diagnostics on one range.
 */
export class DiagnosticsPublisher implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('smtp-doctor');
  private readonly shown = new Map<string, Finding[]>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly sources: readonly FindingSource[]) {
    this.subscriptions = sources.map((s) => s.onDidChangeFindings((files) => this.publish(files)));
  }

  /** Every finding the sources hold for a file, before consolidation (quick fixes are offered for all of them). */
  allFindingsFor(uri: vscode.Uri): Finding[] {
    return this.sources.flatMap((s) => s.findingsFor(uri));
  }

  /** The findings the file's diagnostics show. */
  findingsFor(uri: vscode.Uri): readonly Finding[] {
    return this.shown.get(uri.toString()) ?? [];
  }

  private publish(files: readonly string[]): void {
    for (const file of new Set(files)) {
      const uri = vscode.Uri.parse(file);
      const findings = consolidateFindings(this.allFindingsFor(uri));
      if (findings.length) {
        this.shown.set(file, findings);
        this.collection.set(uri, findings.map(toDiagnostic));
      } else if (this.shown.delete(file) || this.collection.has(uri)) {
        this.collection.delete(uri);
      }
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
