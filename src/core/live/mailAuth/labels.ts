// How reports and messages name each mail-authentication check, read from the live-check registry (which
// holds descriptors only, so a report naming checks does not load the checks).
import { AUTH_LIVE_CHECKS } from '../liveCheckRegistry';

export const AUTH_CHECK_LABELS: Readonly<Record<string, string>> = Object.fromEntries(AUTH_LIVE_CHECKS.map((c) => [c.id, c.label]));
