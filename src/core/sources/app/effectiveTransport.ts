// What nodemailer really does with a transport's options, step by step as the version the project uses
// does it (createTransport → SMTPTransport/SMTPPool → SMTPConnection), over values that may be unknown.
// An unknown value stays unknown: a library default is used only where the options are known to lack
// the key (an object literal with nothing hidden in it), never in place of an unread value.
import type { Endpoint, EndpointSecurity } from '../../model';
import { parseConnectionUrl } from './connectionUrl';
import type { WellKnownService } from './services.generated';
import { type OptionValue, TRANSPORT_SOURCE_LABEL, type TransportDefinition } from './transport';
import { type NodemailerProfile, lookupServiceIn, nodemailerProfile } from './versions';

/** Where an effective setting comes from, in nodemailer's order: service beats url beats options. */
export type SettingOrigin = 'service' | 'url' | 'option' | 'default';

export interface EffectiveSetting<T> {
  /** Undefined when the value depends on something unresolved. */
  readonly value?: T;
  readonly origin: SettingOrigin;
  /** The option that decided it (for origin `option`), or the `url` / `service` option. */
  readonly option?: OptionValue;
}

/** What createTransport builds from the options: SMTP, a pool, another transport, or not knowable. */
export type TransportKind = 'smtp' | 'pool' | 'other' | 'unknown';

export interface EffectiveTransport {
  readonly definition: TransportDefinition;
  readonly profile: NodemailerProfile;
  readonly kind: TransportKind;
  readonly host: EffectiveSetting<string>;
  /** The port nodemailer connects to; `portInvalid` when net.connect will refuse it (out of range, not whole). */
  readonly port: EffectiveSetting<number>;
  readonly portInvalid?: boolean;
  readonly secure: EffectiveSetting<boolean>;
  readonly requireTLS?: boolean;
  readonly ignoreTLS?: boolean;
  readonly authPresent: boolean;
  readonly security: EndpointSecurity;
  /** The well-known service `service` names, if nodemailer knows it. */
  readonly service?: WellKnownService;
  /** createTransport throws on this URL (nodemailer 10's "Invalid URL"). */
  readonly urlError?: string;
}

/** A value as nodemailer would coerce it: booleans from true/false strings, numbers from digits. */
export function asBoolean(v: OptionValue | undefined): boolean | undefined {
  if (!v || v.value === undefined) return v?.nullish ? false : undefined;
  if (typeof v.value === 'boolean') return v.value;
  if (typeof v.value === 'number') return v.value !== 0 && !Number.isNaN(v.value);
  // nodemailer tests truthiness: any non-empty string, "false" included, is true.
  return v.value !== '';
}

export function asPort(v: OptionValue | undefined): number | undefined {
  if (!v || v.value === undefined) return undefined;
  const n = typeof v.value === 'number' ? v.value : typeof v.value === 'string' && /^\s*\d+\s*$/.test(v.value) ? Number(v.value) : NaN;
  return Number.isInteger(n) ? n : undefined;
}

/** A value during resolution: known (possibly undefined: absent) or not. */
type Sym = { readonly known: true; readonly value: unknown; readonly origin: SettingOrigin; readonly option?: OptionValue } | { readonly known: false; readonly origin: SettingOrigin; readonly option?: OptionValue };

const UNKNOWN = (origin: SettingOrigin, option?: OptionValue): Sym => ({ known: false, origin, option });
const ABSENT: Sym = { known: true, value: undefined, origin: 'default' };

const truthy = (v: unknown) => !!v;

/** The profile a definition resolves with: the nodemailer version its project uses (latest when none says). */
export function profileOf(def: TransportDefinition): NodemailerProfile {
  return nodemailerProfile(def.nodemailerVersion);
}

/** Works out the host, port and TLS mode nodemailer will really use for a transport. */
export function effectiveTransport(def: TransportDefinition, profile: NodemailerProfile = profileOf(def)): EffectiveTransport {
  // Keys not written may still be there when the options come from elsewhere (a spread of unknown
  // content, a parameter, a wrapper's own defaults): then a missing key is unknown, not absent.
  const open = def.source === 'nodemailer' ? def.complete !== true : false;
  const everythingUnknown = def.options.has('options');
  const fromOptions = (key: string): Sym => {
    if (everythingUnknown) return UNKNOWN('option', def.options.get('options'));
    const o = def.options.get(key);
    if (o) {
      if (o.value !== undefined) return { known: true, value: o.value, origin: 'option', option: o };
      if (o.nullish) return { known: true, value: o.nullish === 'null' ? null : undefined, origin: 'option', option: o };
      return UNKNOWN('option', o);
    }
    // An object (tls, auth, SES) flattened into sub-keys is there and truthy.
    const prefix = key + '.';
    for (const k of def.options.keys()) if (k.startsWith(prefix)) return { known: true, value: {}, origin: 'option' };
    return open ? UNKNOWN('default') : ABSENT;
  };

  // 1. createTransport: a `url` (or a URL string) is parsed; before 10.0.0 the URL alone is kept.
  const urlOption = def.options.get('url');
  let urlError: string | undefined;
  let urlData: Record<string, unknown> | undefined;
  let urlUnknown = false;
  const urlSym = fromOptions('url');
  if (urlSym.known && truthy(urlSym.value)) {
    const parsed = parseConnectionUrl(String(urlSym.value), profile);
    if (parsed.ok) urlData = parsed.options;
    else urlError = parsed.error;
  } else if (!urlSym.known) urlUnknown = true;

  const merged = new Map<string, Sym>();
  const mergedOpen = { value: open };
  const get = (key: string): Sym => {
    const hit = merged.get(key);
    if (hit) return hit;
    return mergedOpen.value ? UNKNOWN('default') : ABSENT;
  };
  const RELEVANT = ['host', 'port', 'secure', 'requireTLS', 'ignoreTLS', 'opportunisticTLS', 'service', 'pool', 'sendmail', 'streamTransport', 'jsonTransport', 'SES', 'direct', 'auth'];
  const fromUrl = (key: string): Sym | undefined => (urlData && Object.hasOwn(urlData, key) ? { known: true, value: urlData[key], origin: 'url', option: urlOption } : undefined);

  if (urlUnknown) {
    // A url we cannot read may set anything: its query options too (and before 10 it replaces everything).
    for (const k of RELEVANT) merged.set(k, UNKNOWN('url', urlOption));
    mergedOpen.value = true;
  } else if (urlData && !profile.urlKeepsOtherOptions) {
    for (const k of RELEVANT) {
      const u = fromUrl(k);
      if (u) merged.set(k, u);
    }
    mergedOpen.value = false;
  } else {
    for (const k of RELEVANT) {
      const u = fromUrl(k);
      const own = fromOptions(k);
      if (u) merged.set(k, u);
      else if (!(own.known && own.value === undefined && own.origin === 'default')) merged.set(k, own);
    }
    if (urlError) {
      // createTransport throws: nothing is sent anywhere.
      mergedOpen.value = false;
    }
  }

  // 2. The kind of transport. A non-SMTP flag written true ({ sendmail: true, ...options }) decides even
  // next to a spread: that spread holds that transport's options.
  let kind: TransportKind = 'smtp';
  for (const k of ['sendmail', 'streamTransport', 'jsonTransport']) {
    const o = def.options.get(k);
    if (o && o.value !== undefined && truthy(o.value)) kind = 'other';
  }
  if ([...def.options.keys()].some((k) => k.startsWith('SES.'))) kind = 'other';
  for (const k of ['sendmail', 'streamTransport', 'jsonTransport', 'SES']) {
    if (kind === 'other') break;
    const s = get(k);
    if (s.known && truthy(s.value)) kind = 'other';
    else if (!s.known && kind === 'smtp') kind = 'unknown';
  }
  const pool = get('pool');
  if (kind === 'smtp') kind = pool.known ? (truthy(pool.value) ? 'pool' : 'smtp') : 'unknown';

  // 3. SMTPTransport / SMTPPool: the well-known service's keys are assigned last.
  const serviceSym = get('service');
  let service: WellKnownService | undefined;
  let serviceUnknown = false;
  if (!serviceSym.known) serviceUnknown = true;
  else if (typeof serviceSym.value === 'string' && serviceSym.value) service = lookupServiceIn(profile, serviceSym.value);
  const serviceOption = serviceSym.option ?? def.options.get('service');
  const applyService = (key: 'host' | 'port' | 'secure' | 'requireTLS' | 'ignoreTLS'): Sym => {
    if (serviceUnknown) return UNKNOWN('service', serviceOption);
    if (service && service[key] !== undefined) return { known: true, value: service[key], origin: 'service', option: serviceOption };
    return get(key);
  };
  const hostSym = applyService('host');
  const portSym = applyService('port');
  const secureSym = applyService('secure');
  let requireSym = applyService('requireTLS');
  let ignoreSym = applyService('ignoreTLS');
  const opportunisticSym = get('opportunisticTLS');

  // 4. SMTPConnection.
  if (profile.requireTlsWins) {
    const ign = ignoreSym.known && truthy(ignoreSym.value);
    const opp = opportunisticSym.known && truthy(opportunisticSym.value);
    if (requireSym.known && truthy(requireSym.value)) ignoreSym = { known: true, value: false, origin: ignoreSym.origin, option: ignoreSym.option };
    else if (!requireSym.known && (ign || opp)) ignoreSym = UNKNOWN(ignoreSym.origin, ignoreSym.option);
  }

  const secureFlag: boolean | undefined = secureSym.known ? truthy(secureSym.value) : undefined;
  // Flat settings (.env, JSON, YAML) are read by a program not seen here: what they leave out is unknown, not
  // nodemailer's default. Only a URL's scheme states a port by itself (smtps:// means 465).
  const flat = def.source !== 'nodemailer';
  let port: number | undefined;
  let portInvalid = false;
  if (portSym.known) {
    const n = Number(portSym.value);
    if (flat) port = n || (secureSym.origin === 'url' && secureFlag ? 465 : undefined);
    else port = n || (secureFlag === undefined ? undefined : secureFlag ? 465 : 587);
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) portInvalid = true;
  }
  const portOrigin: SettingOrigin = portSym.known && Number(portSym.value) ? portSym.origin : portSym.known ? 'default' : portSym.origin;
  let secureConnection = secureFlag;
  // smtp-connection: `secure` not given at all and port 465 means TLS at once. Django's EMAIL_USE_TLS and
  // Laravel's MAIL_ENCRYPTION=tls ask for STARTTLS whatever the port: those clients never start TLS at connect.
  const framework = def.client === 'django' || def.client === 'laravel';
  if (secureSym.known && secureSym.value === undefined) {
    const requireSet = requireSym.known && truthy(requireSym.value);
    secureConnection = framework && requireSet ? false : port === undefined ? undefined : port === 465;
  }

  const host: EffectiveSetting<string> = hostSym.known
    ? hostSym.value
      ? { value: String(hostSym.value), origin: hostSym.origin, option: hostSym.option }
      : flat
        ? { origin: 'default', option: hostSym.option }
        : { value: 'localhost', origin: 'default', option: hostSym.option }
    : { origin: hostSym.origin, option: hostSym.option };

  const requireTLS = requireSym.known ? truthy(requireSym.value) : undefined;
  const ignoreTLS = ignoreSym.known ? truthy(ignoreSym.value) : undefined;
  const auth = get('auth');
  const authPresent =
    (auth.known && truthy(auth.value) && auth.origin === 'url') ||
    !!(def.options.get('auth.user') || def.options.get('auth.pass') || def.options.get('auth.accessToken') || def.options.get('auth.type'));

  let security: EndpointSecurity;
  if (urlError || kind === 'other') security = 'unknown';
  else if (secureConnection === undefined) security = 'unknown';
  else if (secureConnection) security = 'implicit-tls';
  else if (ignoreTLS === undefined) security = 'unknown';
  else if (ignoreTLS) security = 'none';
  else if (requireTLS === undefined) security = 'unknown';
  else if (requireTLS) security = 'starttls-required';
  else security = 'starttls-opportunistic';

  const secureOrigin: SettingOrigin = secureSym.known && secureSym.value === undefined ? 'default' : secureSym.origin;
  return {
    definition: def,
    profile,
    kind,
    host: urlError ? { origin: 'url', option: urlOption } : host,
    port: urlError ? { origin: 'url', option: urlOption } : { value: port, origin: portOrigin, option: portSym.option },
    portInvalid: portInvalid || undefined,
    secure: { value: secureConnection, origin: secureOrigin, option: secureSym.option },
    requireTLS,
    ignoreTLS,
    authPresent,
    security,
    service,
    urlError,
  };
}

/** The endpoint a transport sends to, in the shape live checks take; undefined for one that sends no SMTP. */
export function endpointOf(def: TransportDefinition): Endpoint {
  const t = effectiveTransport(def);
  const optionRanges: Record<string, { file: string; range: Endpoint['range'] }> = {};
  const envOrigins: Record<string, { variable: string; file?: string; range?: Endpoint['range'] }> = {};
  for (const [k, v] of def.options) {
    optionRanges[k] = { file: v.file, range: v.range };
    if (v.env) envOrigins[k] = { variable: v.env.name, file: v.env.file, range: v.env.range };
  }
  const source = def.source === 'nodemailer' && def.options.has('url') && def.options.size === 1 ? 'smtp-url' : def.source;
  return {
    host: t.host.value,
    port: t.portInvalid ? undefined : t.port.value,
    security: t.security,
    authPresent: t.authPresent,
    source,
    sourceLabel: TRANSPORT_SOURCE_LABEL[source],
    file: def.file,
    range: def.range,
    optionRanges,
    envOrigins,
  };
}
