// What package.json says about the configuration sources, derived from the registry: the activation events,
// the languages, and the default of smtpDoctor.include (which the workspace scan and the file watchers use).
// package.json is static, so scripts/generate-package-contributions.js writes these fields and a unit test
// fails when they differ from the registry.
import { ACTIVATION_EVENTS, CONFIG_GLOBS, EDITOR_LANGUAGES } from './registry';

/** Comments, brackets and auto-closing pairs: the same for every language the sources define. */
const LANGUAGE_CONFIGURATION = './language-configuration.json';

type Json = Record<string, unknown>;

/** `manifest` (package.json, parsed) with the registry's fields written in; every other field is kept. */
export function withSourceContributions(manifest: Json): Json {
  const contributes = (manifest.contributes ?? {}) as Json;
  const configuration = (contributes.configuration ?? {}) as Json;
  const properties = (configuration.properties ?? {}) as Json;
  const include = (properties['smtpDoctor.include'] ?? {}) as Json;
  return {
    ...manifest,
    activationEvents: [...ACTIVATION_EVENTS],
    contributes: {
      ...contributes,
      languages: EDITOR_LANGUAGES.map((l) => ({
        id: l.id,
        aliases: [...l.aliases],
        filenames: [...l.filenames],
        filenamePatterns: [...l.filenamePatterns],
        configuration: LANGUAGE_CONFIGURATION,
      })),
      configuration: { ...configuration, properties: { ...properties, 'smtpDoctor.include': { ...include, default: [...CONFIG_GLOBS] } } },
    },
  };
}
