import type { SourceFile } from '../model';
import type { EnvFile } from './envFiles';
import type { TransportDefinition } from './transport';

/** SMTP settings a .env file holds on its own (SMTP_HOST, MAIL_PORT, ...); empty for now. */
export function extractEnvTransports(_source: SourceFile, _env: EnvFile): TransportDefinition[] {
  return [];
}
