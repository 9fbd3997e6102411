// The reverse DNS (PTR) of every server address the configs name (a name is looked up once, after the DNS
// servers answered). It also provides what the sending-address checks build on: the server's public
// addresses ('sending-addresses', for SPF, once every name is looked up) and each public address with the
// lines that led to it ('public-addresses', for DNSBL, once every PTR check is done).
import { isIP } from 'net';
import { isPublicAddress } from '../hosts';
import { checkPtr, resolveAddresses } from './dnsChecks';
import type { PtrCheckResult } from './dnsTypes';
import type { CheckRun } from './liveCheck';
import { type ConfigLocation, ptrFindings } from './liveFindings';
import type { PtrTarget } from './liveTargets';
import { dnsAnswers } from './resolverCheck';

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
