// Which nodemailer a project uses, and what that version does differently: the well-known services table,
// whether a `url` next to other options drops them (before 10.0.0 it does), how URLs are parsed (9 and 10
// changed it), and
// whether requireTLS overrides ignoreTLS (10.0.12 on). Facts read from each version's source, checked by
// test/unit/sources/app/differential.test.ts against the real packages.
import { SERVICE_TABLES, type WellKnownService } from './services.generated';

export interface NodemailerProfile {
  /** The version whose behaviour this is (the project's, or the closest one we carry a table for). */
  readonly version: string;
  readonly major: number;
  /** Whether the version was read from the project (false: nothing said which one, the latest is assumed). */
  readonly fromProject: boolean;
  /** createTransport({ url, ...others }) keeps the other keys (10.0.0 on); before, the URL alone counts. */
  readonly urlKeepsOtherOptions: boolean;
  /**
   * How parseConnectionUrl reads a URL: Node's url.parse (before 9), a WHATWG URL wrapper keeping the host's
   * case (9.x), or the wrapper that IDNA-maps the host and refuses hosts url.parse would truncate (10 on).
   */
  readonly urlParser: 'legacy' | 'whatwg9' | 'whatwg10';
  /** requireTLS switches ignoreTLS / opportunisticTLS off (10.0.12 on); before, ignoreTLS wins. */
  readonly requireTlsWins: boolean;
  readonly services: ReadonlyMap<string, WellKnownService>;
  readonly serviceList: readonly WellKnownService[];
}

/** nodemailer's own key normalisation for well-known service names, aliases and domains. */
export const normalizeServiceKey = (key: string): string => key.replace(/[^a-zA-Z0-9.-]/g, '').toLowerCase();

function parseVersion(v: string): [number, number, number] | undefined {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(v) ?? /(\d+)\.(\d+)/.exec(v) ?? /(\d+)/.exec(v);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

const atLeast = (v: [number, number, number], a: number, b: number, c: number) => v[0] !== a ? v[0] > a : v[1] !== b ? v[1] > b : v[2] >= c;

const cache = new Map<string, NodemailerProfile>();

/**
 * The behaviour of nodemailer `version` (an exact version or a semver range such as `^6.9.1`); the latest
 * we carry when it is undefined or unreadable. Majors we carry no table for take the nearest one's.
 */
export function nodemailerProfile(version?: string): NodemailerProfile {
  const key = version ?? '';
  const hit = cache.get(key);
  if (hit) return hit;
  const latest = SERVICE_TABLES[SERVICE_TABLES.length - 1];
  const parsed = version ? parseVersion(version) : undefined;
  const fromProject = parsed !== undefined;
  const v: [number, number, number] = parsed ?? (parseVersion(latest.version) as [number, number, number]);
  const majors = SERVICE_TABLES.map((t) => Number(t.version.split('.')[0]));
  let index = majors.indexOf(v[0]);
  if (index < 0) index = v[0] < majors[0] ? 0 : SERVICE_TABLES.length - 1;
  const table = SERVICE_TABLES[index];
  const services = new Map<string, WellKnownService>();
  for (const s of table.services) for (const k of [s.name, ...s.aliases, ...s.domains]) services.set(normalizeServiceKey(k), s);
  // A range (^6.9.1) names its lowest version; the behaviour of the newest in that major is closer to what installs.
  const exact = version !== undefined && /^\s*v?\d+\.\d+\.\d+\s*$/.test(version);
  const effective: [number, number, number] = exact ? v : (parseVersion(table.version) as [number, number, number]);
  const profile: NodemailerProfile = {
    version: exact ? `${v[0]}.${v[1]}.${v[2]}` : table.version,
    major: v[0],
    fromProject,
    urlKeepsOtherOptions: atLeast(effective, 10, 0, 0),
    urlParser: atLeast(effective, 10, 0, 0) ? 'whatwg10' : atLeast(effective, 9, 0, 0) ? 'whatwg9' : 'legacy',
    requireTlsWins: atLeast(effective, 10, 0, 12),
    services,
    serviceList: table.services,
  };
  cache.set(key, profile);
  return profile;
}

/** nodemailer's wellKnown(key): by name, alias or e-mail domain (the part after the last "@"). */
export function lookupServiceIn(profile: NodemailerProfile, key: string): WellKnownService | undefined {
  return profile.services.get(normalizeServiceKey(key.split('@').pop() ?? ''));
}

/**
 * The nodemailer version a package.json asks for (dependencies, devDependencies, peerDependencies,
 * optionalDependencies), or undefined. `workspace:`, `file:`, git and tag ranges give undefined.
 */
export function nodemailerRangeInManifest(manifestText: string): string | undefined {
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestText);
  } catch {
    return undefined;
  }
  if (!manifest || typeof manifest !== 'object') return undefined;
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    const deps = (manifest as Record<string, unknown>)[field];
    const range = deps && typeof deps === 'object' ? (deps as Record<string, unknown>).nodemailer : undefined;
    if (typeof range === 'string' && /\d/.test(range) && !/^(workspace|file|link|git|github|https?):/.test(range)) return range;
  }
  return undefined;
}

/** The nodemailer version a lockfile installs (package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml, bun.lock). */
export function nodemailerVersionInLockfile(name: string, text: string): string | undefined {
  if (/^(package-lock|npm-shrinkwrap)\.json$/.test(name)) {
    // v2/v3: "node_modules/nodemailer": { "version": "6.9.1" }; v1: "nodemailer": { "version": "6.9.1" }
    const m = /"(?:node_modules\/)?nodemailer"\s*:\s*\{[^{}]*?"version"\s*:\s*"(\d+\.\d+\.\d+)"/.exec(text);
    return m?.[1];
  }
  if (name === 'yarn.lock') {
    const m = /^"?nodemailer@[^\n]*:\n(?:[ \t]+[^\n]*\n)*?[ \t]+version:?\s+"?(\d+\.\d+\.\d+)/m.exec(text);
    return m?.[1];
  }
  if (name === 'pnpm-lock.yaml') {
    const m = /^\s+'?\/?nodemailer[@/](\d+\.\d+\.\d+)/m.exec(text);
    return m?.[1];
  }
  if (name === 'bun.lock') {
    const m = /"nodemailer@(\d+\.\d+\.\d+)"/.exec(text);
    return m?.[1];
  }
  return undefined;
}

export const LOCKFILE_NAMES: readonly string[] = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock'];
