// The reverse DNS (PTR) of every server address the configs name (a name is looked up once, after the DNS
// servers answered). It also provides what the sending-address checks build on: the server's public
// addresses ('sending-addresses', for SPF, once every name is looked up) and each public address with the
// lines that led to it ('public-addresses', for DNSBL, once every PTR check is done). checkPtr is the lookup
// of one address (the MX-host check asks it too); runPtrCheck runs it for the run's addresses.
import { isIP, isIPv6 } from 'net';
import { MAX_PTR_NAMES_CHECKED } from '../limits';
import { addressKey, isPublicAddress, parseIpAddress } from '../hosts';
import { monotonicMs } from './builtins';
import { elapsed, lookupAddresses, NEGATIVE_ANSWERS, resolveAddresses, reverseName, worstError } from './dnsChecks';
import { dnsQuery } from './dnsRecords';
import type { DnsCheckOptions, PtrCheckResult } from './dnsTypes';
import type { CheckRun } from './liveCheck';
import { type ConfigLocation, ptrFindings } from './liveFindings';
import type { PtrTarget } from './liveTargets';
import { dnsAnswers } from './resolverCheck';

/** One spelling per address, so "2001:DB8::1" and "2001:db8:0::1" compare equal. */
function canonicalAddress(address: string): string {
  const ip = isIPv6(address.replace(/%.*$/, '')) ? parseIpAddress(address) : undefined;
  return ip ? addressKey(ip) : address;
}

function sameName(a: string, b: string): boolean {
  return a.replace(/\.$/, '').toLowerCase() === b.replace(/\.$/, '').toLowerCase();
}

/**
 * Reverse DNS of `address`: its PTR names, whether one of them resolves back to it (forward-confirmed), and
 * whether one equals `expectedName` (the HELO name receivers compare it with).
 */
export async function checkPtr(address: string, options: DnsCheckOptions & { readonly expectedName?: string } = {}): Promise<PtrCheckResult> {
  const start = monotonicMs();
  const { expectedName } = options;
  const base = { address, ...(expectedName !== undefined ? { expectedName } : {}) };
  const failed = (error: string): PtrCheckResult => ({ ...base, status: 'lookup-failed', names: [], forwardConfirmed: false, error, ms: elapsed(start) });

  const name = reverseName(address);
  if (!name) return failed('EINVAL');
  const ptr = await dnsQuery(name, 'PTR', options);
  if (ptr.negative !== undefined) return { ...base, status: 'no-ptr', names: [], forwardConfirmed: false, error: ptr.negative, ms: elapsed(start) };
  if (ptr.error !== undefined) return failed(ptr.error);
  const names = [...ptr.values];
  if (names.length === 0) return { ...base, status: 'no-ptr', names, forwardConfirmed: false, ms: elapsed(start) };

  const wanted = canonicalAddress(address);
  const forward = await Promise.all(names.slice(0, MAX_PTR_NAMES_CHECKED).map((n) => lookupAddresses(n, options)));
  if (options.signal?.aborted) return failed('ECANCELLED');
  const forwardConfirmed = forward.some((f) => f.addresses.some((a) => canonicalAddress(a) === wanted));
  const matchesExpectedName = expectedName !== undefined ? names.some((n) => sameName(n, expectedName)) : undefined;
  const match = matchesExpectedName !== undefined ? { matchesExpectedName } : {};

  if (!forwardConfirmed) {
    // No answer either way is not the same as an answer elsewhere.
    const lookupError = worstError(forward.map((f) => f.error).filter((c): c is string => c !== undefined && !NEGATIVE_ANSWERS.has(c)));
    if (lookupError) return { ...failed(lookupError), names, ...match };
    return { ...base, status: 'not-confirmed', names, forwardConfirmed, ...match, ms: elapsed(start) };
  }
  const status = matchesExpectedName === false ? 'mismatch' : 'ok';
  return { ...base, status, names, forwardConfirmed, ...match, ms: elapsed(start) };
}

interface Addresses {
  readonly addresses: string[];
  readonly error?: string;
  readonly ms: number;
}

async function addressesOf(run: CheckRun, t: PtrTarget): Promise<Addresses> {
  if (isIP(t.hostOrAddress)) return { addresses: [t.hostOrAddress], ms: 0 };
  if (!(await dnsAnswers(run))) return { addresses: [], error: 'skipped', ms: 0 };
  const started = Date.now();
  try {
    const addresses = await run.settle(run.group.run(`addr:${t.hostOrAddress}`, (signal) => resolveAddresses(t.hostOrAddress, { ...run.dns, signal })), () => undefined);
    return addresses ? { addresses, ms: Date.now() - started } : { addresses: [], error: 'cancelled', ms: Date.now() - started };
  } catch (e) {
    return { addresses: [], error: `no address: ${(e as { code?: string }).code ?? 'lookup failed'}`, ms: Date.now() - started };
  }
}

export async function runPtrCheck(run: CheckRun): Promise<void> {
  const lookups = new Map(run.targets.ptrs.map((t) => [t, addressesOf(run, t)]));
  const sending = Promise.all(lookups.values()).then((all) => run.provide('sending-addresses', [...new Set(all.flatMap((a) => a.addresses).filter(isPublicAddress))]));
  const addressLocations = new Map<string, ConfigLocation[]>();
  const report = (t: PtrTarget, result: PtrCheckResult) => {
    run.emit({ kind: 'ptr', result });
    for (const at of t.locations) run.findings.push(...ptrFindings(at, result));
  };
  await Promise.all(
    run.targets.ptrs.map(async (t) => {
      if (!(await dnsAnswers(run))) return;
      const { addresses, error, ms } = await lookups.get(t)!;
      // Every target gets a result: a name whose addresses could not be looked up is reported under its name.
      if (error) return report(t, { address: t.hostOrAddress, status: 'lookup-failed', names: [], forwardConfirmed: false, expectedName: t.expectedName, error, ms });
      for (const a of addresses) if (isPublicAddress(a)) addressLocations.set(a, [...(addressLocations.get(a) ?? []), ...t.locations]);
      await Promise.all(
        addresses.map(async (address) => {
          const result = await run.settle(
            run.group.run(`ptr:${address}:${t.expectedName ?? ''}`, (signal) => checkPtr(address, { ...run.dns, signal, expectedName: t.expectedName })),
            () => ({ address, status: 'lookup-failed' as const, names: [], forwardConfirmed: false, error: 'cancelled', ms: 0 }),
          );
          report(t, result);
        }),
      );
    }),
  );
  run.provide('public-addresses', [...addressLocations]);
  await sending;
}
