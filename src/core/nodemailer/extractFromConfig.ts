import type { SourceFile } from '../model';
import type { EnvResolver } from './envFiles';
import type { TransportDefinition } from './transport';

/** JSON and YAML files that hold SMTP settings (written by the config-files work; empty for now). */
export function isConfigFile(path: string): boolean {
  return /\.(json|ya?ml)$/i.test(path);
}

export function extractConfigTransports(_source: SourceFile, _env: EnvResolver): TransportDefinition[] {
  return [];
}
