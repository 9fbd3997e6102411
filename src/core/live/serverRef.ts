// A server the workspace configures, as the live checks see it. Its own module: the configuration language
// that implements it (net/postfixServer.ts) and the target collector that hands it out both import it.
import type { Finding } from '../model';
import type { ConfigLocation } from './configLocation';
import type { WeakCipherFamily } from './tlsHello';

/** How to fix weak TLS on a server, in its configuration's words (for tlsScanFindings). */
export interface ServerTlsFixes {
  readonly versions: string;
  readonly ciphers: (families: readonly WeakCipherFamily[]) => string;
}

/**
 * A server the workspace configures, as the live checks need it: what its configuration says, asked in the
 * live checks' terms. The configuration's language implements it (net/postfixServer.ts for Postfix).
 */
export interface ServerRef {
  readonly port: number;
  /** The domain the server calls its own (the relay test sends from it); undefined when not set. */
  readonly localDomain: string | undefined;
  /** Whether it trusts a client at `local` that it sees as `remote` (mynetworks); undefined when not known. */
  trustsClient(local: string, remote: string | undefined): boolean | undefined;
  tlsFixes(): ServerTlsFixes;
  /**
   * Each finding on the line of the setting that causes it, with `named` (the line naming the server) as
   * related information; a finding a static rule already reports is dropped.
   */
  placeFindings(findings: readonly Finding[], named: ConfigLocation, describe: string): Finding[];
}
