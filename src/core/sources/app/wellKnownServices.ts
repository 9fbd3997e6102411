import type { WellKnownService } from './services.generated';
import { type NodemailerProfile, lookupServiceIn, nodemailerProfile } from './versions';

/** The well-known service nodemailer (`profile`'s version; the latest by default) resolves `service` to. */
export function lookupService(service: string, profile: NodemailerProfile = nodemailerProfile()): WellKnownService | undefined {
  return lookupServiceIn(profile, service);
}

/** Every name nodemailer accepts for `service` (for suggestions). */
export function serviceNames(profile: NodemailerProfile = nodemailerProfile()): string[] {
  return profile.serviceList.map((s) => s.name);
}
