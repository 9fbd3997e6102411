import { type WellKnownService, WELL_KNOWN_SERVICES } from './services.generated';

// nodemailer's own lookup: a name, an alias or an e-mail domain, compared without case and without
// characters other than letters, digits, "." and "-".
const normalize = (key: string) => key.replace(/[^a-zA-Z0-9.-]/g, '').toLowerCase();

const BY_KEY = new Map<string, WellKnownService>();
for (const s of WELL_KNOWN_SERVICES) {
  for (const key of [s.name, ...s.aliases, ...s.domains]) BY_KEY.set(normalize(key), s);
}

/** The well-known service nodemailer resolves `service` to, or undefined if it knows none. */
export function lookupService(service: string): WellKnownService | undefined {
  return BY_KEY.get(normalize(service.split('@').pop() ?? ''));
}

/** Every name nodemailer accepts for `service` (for suggestions). */
export function serviceNames(): string[] {
  return WELL_KNOWN_SERVICES.map((s) => s.name);
}
