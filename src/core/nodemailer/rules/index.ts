import type { TransportRule } from '../transportRule';

/** Every application-transport rule, in the order their findings are reported. */
export const TRANSPORT_RULES: readonly TransportRule[] = [];
