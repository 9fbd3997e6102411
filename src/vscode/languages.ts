import type { ConfigKind } from '../core/discover';
import { POSTFIX_SOURCE } from '../core/sources/postfix/source';
import { DOCUMENT_LANGUAGES } from '../core/sources/registry';

/** The languages the Postfix source defines (main.cf, master.cf): hovers, completion, go to definition. */
export const POSTFIX_SELECTOR = POSTFIX_SOURCE.editor.languages.map((l) => ({ language: l.id }));

/** The languages application settings and DKIM signing files are open in (quick fixes apply there too). */
export const APP_SELECTOR = DOCUMENT_LANGUAGES.map((language) => ({ language }));

/** The Postfix file kind an editor language forces; its language ids are the kinds' names. */
const POSTFIX_KINDS: ReadonlySet<string> = new Set(POSTFIX_SOURCE.editor.languages.map((l) => l.id));

export function configKindOfLanguage(languageId: string): ConfigKind | undefined {
  return POSTFIX_KINDS.has(languageId) ? (languageId as ConfigKind) : undefined;
}
