// Which JSON and YAML files are read for SMTP settings, decided from the name (and a cheap look at the text).

export const SKIPPED_NAMES = /^(package(-lock)?\.json|npm-shrinkwrap\.json|composer\.(json|lock)|[tj]sconfig(\..*)?\.json|pnpm-lock\.yaml|yarn\.lock|\.eslintrc(\.json)?|renovate\.json|lerna\.json|turbo\.json)$/i;

export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** docker-compose.yml, compose.yaml, docker-compose.prod.yml, ... */
export function isComposeFile(path: string): boolean {
  return /^(docker-)?compose([.-][^/\\]*)?\.ya?ml$/i.test(baseName(path));
}

/** JSON and YAML files that may hold SMTP settings (not package manifests, lock files or tsconfig). */
export function isConfigFile(path: string): boolean {
  return /\.(json|jsonc|json5|ya?ml)$/i.test(path) && !SKIPPED_NAMES.test(baseName(path));
}

/** Cheap test before parsing: the text must mention smtp, mail (email, mailer) or transport. */
export function mayHoldMailSettings(text: string): boolean {
  return /smtp|mail|transport/i.test(text);
}
