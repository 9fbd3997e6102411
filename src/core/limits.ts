// Every cap on the size of what SMTP Doctor reads (files, DNS answers) or shows, once: one name and one value
// per cap. Limits a protocol sets (RFC 7208's ten lookups) stay with the code of that protocol.

/** Postfix files larger than this are reported as skipped, not parsed (a real main.cf is a few KB). */
export const MAX_CONFIG_BYTES = 5 * 1024 * 1024;

/** Application files (scripts, JSON/YAML, .env, DKIM signing configs) larger than this are generated or minified code, not configuration. */
export const MAX_APP_FILE_BYTES = 1024 * 1024;

/** JSON/YAML and .env texts longer than this (in characters) are not read for mail settings. */
export const MAX_SETTINGS_TEXT_CHARS = 1_000_000;

/** Lockfiles larger than this are not read for the nodemailer version (the manifest's range is used). */
export const MAX_LOCKFILE_BYTES = 8 * 1024 * 1024;

/** A TXT record (its strings joined) is cut at this many characters; SPF, DMARC and MTA-STS records are far shorter. */
export const MAX_TXT_RECORD_CHARS = 4096;

/** At most this many TXT records of one name are looked at. */
export const MAX_TXT_RECORDS_PER_NAME = 20;

/** Most MX or address records of one DNS answer a check uses. */
export const MAX_DNS_ANSWER_RECORDS = 64;

/** More PTR names than this for one address is abuse; only these are forward-checked. */
export const MAX_PTR_NAMES_CHECKED = 10;

/** An evidence line (a record, an answer) is cut at this many characters. */
export const MAX_EVIDENCE_LINE_CHARS = 400;
