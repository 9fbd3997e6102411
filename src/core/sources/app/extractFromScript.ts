// The entry point for JS/TS files: which files are read, and every transport one of them creates
// (module analysis, transport calls and their options are in the script* modules beside it).
import type { SourceFile } from '../../model';
import type { EnvResolver } from './envFiles';
import { parseScript } from './parseScript';
import { type ModuleLoader, ModuleCache, analyse } from './scriptModuleAnalysis';
import { transportsIn } from './scriptTransportCalls';
import type { TransportDefinition } from './transport';

/** Cheap test before parsing: only files that mention nodemailer or createTransport are read. */
export function mayDefineTransport(text: string): boolean {
  return (
    text.includes('nodemailer') ||
    text.includes('createTransport') ||
    // Wrappers: @nestjs-modules/mailer, Auth.js email providers, Strapi's email plugin.
    text.includes('@nestjs-modules/mailer') ||
    text.includes('/providers/email') ||
    text.includes('providerOptions')
  );
}

const SCRIPT_FILE = /\.(?:[cm]?[jt]sx?)$/i;

export function isScriptFile(path: string): boolean {
  return SCRIPT_FILE.test(path) && !/\.d\.[cm]?ts$/i.test(path);
}

export interface ScriptExtraction {
  readonly transports: TransportDefinition[];
  /** Why a file that mentions nodemailer could not be read, when it could not. */
  readonly unreadable?: string;
}

/** Every nodemailer transport a JS/TS file creates with createTransport(...). */
export function extractScriptTransports(source: SourceFile, env: EnvResolver, loader?: ModuleLoader): TransportDefinition[] {
  return extractScriptTransportsWithNotes(source, env, loader).transports;
}

/** Like extractScriptTransports, and says when a file that mentions nodemailer does not parse. */
export function extractScriptTransportsWithNotes(source: SourceFile, env: EnvResolver, loader?: ModuleLoader): ScriptExtraction {
  if (!mayDefineTransport(source.text)) return { transports: [] };
  const parsed = parseScript(source.text, source.file);
  if (!parsed) return { transports: [], unreadable: 'a syntax error no repair could get past' };
  const modules = new ModuleCache(env, loader);
  const mod = analyse(parsed, source, env, modules);
  return { transports: transportsIn(parsed.ast, mod, source) };
}
