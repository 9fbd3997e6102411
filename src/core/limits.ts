// Every cap on the size of a file SMTP Doctor reads, once: one name and one value per cap.

/** Postfix files larger than this are reported as skipped, not parsed (a real main.cf is a few KB). */
export const MAX_CONFIG_BYTES = 5 * 1024 * 1024;

/** Application files (scripts, JSON/YAML, .env, DKIM signing configs) larger than this are generated or minified code, not configuration. */
export const MAX_APP_FILE_BYTES = 1024 * 1024;

/** JSON/YAML and .env texts longer than this (in characters) are not read for mail settings. */
export const MAX_SETTINGS_TEXT_CHARS = 1_000_000;

/** Lockfiles larger than this are not read for the nodemailer version (the manifest's range is used). */
export const MAX_LOCKFILE_BYTES = 8 * 1024 * 1024;
