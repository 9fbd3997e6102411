// Node's tls, dns and crypto modules, loaded when a check first needs them. Loading them takes ~10 ms
// (tls pulls in crypto and ~20 internal modules), which `smtp-doctor port` paid at every start even when no
// server offered TLS and no name had to be resolved. `import type` keeps their types at no cost.
import type * as Crypto from 'crypto';
import type * as Dns from 'dns';
import type * as Tls from 'tls';

let tlsModule: typeof Tls | undefined;
let dnsModule: typeof Dns | undefined;
let cryptoModule: typeof Crypto | undefined;

export function nodeTls(): typeof Tls {
  return (tlsModule ??= require('tls') as typeof Tls);
}

export function nodeDns(): typeof Dns {
  return (dnsModule ??= require('dns') as typeof Dns);
}

export function nodeCrypto(): typeof Crypto {
  return (cryptoModule ??= require('crypto') as typeof Crypto);
}

/**
 * Milliseconds on a monotonic clock, for durations. perf_hooks' performance.now() would do the same, but
 * loading perf_hooks (or touching the `performance` global) costs ~1.5 ms at start-up; process.hrtime is built in.
 */
export function monotonicMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}
