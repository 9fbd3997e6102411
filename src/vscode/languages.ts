import type { ConfigKind } from '../core/discover';

export const POSTFIX_MAIN_LANGUAGE = 'postfix-main';
export const POSTFIX_MASTER_LANGUAGE = 'postfix-master';
export const POSTFIX_SELECTOR = [{ language: POSTFIX_MAIN_LANGUAGE }, { language: POSTFIX_MASTER_LANGUAGE }];

/** Application files whose transports we lint (quick fixes apply there too). */
export const APP_SELECTOR = [
  'javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'json', 'jsonc', 'yaml', 'dotenv', 'properties', 'plaintext',
].map((language) => ({ language }));

export function configKindOfLanguage(languageId: string): ConfigKind | undefined {
  if (languageId === POSTFIX_MAIN_LANGUAGE) return 'postfix-main';
  if (languageId === POSTFIX_MASTER_LANGUAGE) return 'postfix-master';
  return undefined;
}
