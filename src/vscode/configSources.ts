import * as vscode from 'vscode';
import { type ConfigKind, MAX_CONFIG_BYTES, configKindOfPath } from '../core/discover';
import { type ConfigDirEntry, type ConfigDirFiles, MAX_CONFIG_DIR_ENTRIES } from '../core/sources/postfix/instance';
import { readsFolderListing } from '../core/sources/registry';
import type { LintInput } from '../core/workspaceLint';
import { configKindOfLanguage } from './languages';

/** The folder that groups a main.cf with its master.cf, as a URI string. */
export function groupKeyOf(uri: vscode.Uri): string {
  if (uri.scheme === 'untitled') return uri.toString();
  return vscode.Uri.joinPath(uri, '..').toString();
}

/**
 * Texts of config files as the user sees them: an open editor's text wins over the file on disk, so
 * linting follows typing. Files read from disk are size-checked before reading.
 */
export class ConfigSources {
  kindOf(uri: vscode.Uri): ConfigKind | undefined {
    const doc = this.openDocument(uri);
    return (doc && configKindOfLanguage(doc.languageId)) ?? configKindOfPath(uri.path);
  }

  openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    const key = uri.toString();
    return vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === key);
  }

  /** Reads one file as a lint input, or undefined if it is gone. */
  async read(uri: vscode.Uri): Promise<LintInput | undefined> {
    const doc = this.openDocument(uri);
    const languageKind = doc ? configKindOfLanguage(doc.languageId) : undefined;
    if (doc) {
      const text = doc.getText();
      return { file: uri.toString(), text, kind: languageKind, byteLength: text.length };
    }
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_CONFIG_BYTES) return { file: uri.toString(), text: '', byteLength: stat.size };
      const bytes = await vscode.workspace.fs.readFile(uri);
      return { file: uri.toString(), text: new TextDecoder('utf-8').decode(bytes), byteLength: bytes.byteLength };
    } catch {
      return undefined;
    }
  }

  /** main.cf and master.cf texts of the group `uri` belongs to (siblings read from disk if needed). */
  async postfixPair(uri: vscode.Uri): Promise<{ main?: LintInput; master?: LintInput }> {
    const kind = this.kindOf(uri);
    const self = await this.read(uri);
    const siblingName = kind === 'postfix-master' ? 'main.cf' : 'master.cf';
    const sibling = uri.scheme === 'untitled' ? undefined : await this.read(vscode.Uri.joinPath(uri, '..', siblingName));
    return kind === 'postfix-master' ? { master: self, main: sibling } : { main: self, master: sibling };
  }

  /**
   * The inputs with `configDirFiles` set where their source checks them against the files beside them (a
   * main.cf, for postfix/map-not-built). Read here, before linting, because the rules read no disk.
   */
  async withConfigDirFiles(inputs: readonly LintInput[]): Promise<LintInput[]> {
    const listings = new Map<string, Promise<ConfigDirFiles | undefined>>();
    return Promise.all(
      inputs.map(async (input) => {
        const uri = vscode.Uri.parse(input.file);
        if (uri.scheme === 'untitled' || !readsFolderListing({ file: uri.path, kind: input.kind })) return input;
        const key = groupKeyOf(uri);
        if (!listings.has(key)) listings.set(key, listConfigDir(vscode.Uri.joinPath(uri, '..')));
        const configDirFiles = await listings.get(key);
        return configDirFiles ? { ...input, configDirFiles } : input;
      }),
    );
  }
}

/** The regular files directly in `folder` with their modification times; undefined if unreadable or huge. */
async function listConfigDir(folder: vscode.Uri): Promise<ConfigDirFiles | undefined> {
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return undefined;
  }
  if (entries.length > MAX_CONFIG_DIR_ENTRIES) return undefined;
  const out = new Map<string, ConfigDirEntry>();
  await Promise.all(
    entries.map(async ([name, type]) => {
      if ((type & vscode.FileType.File) === 0) return;
      try {
        out.set(name, { mtimeMs: (await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, name))).mtime });
      } catch {
        // Deleted meanwhile: it does not exist for Postfix either.
      }
    }),
  );
  return out;
}
