import type { Endpoint, EndpointSecurity } from '../model';
import { parseSmtpUrl } from './smtpUrl';
import type { OptionValue, TransportDefinition } from './transport';
import { lookupService } from './wellKnownServices';
import type { WellKnownService } from './services.generated';

/** Where an effective setting comes from, in nodemailer's order: service beats url beats options. */
export type SettingOrigin = 'service' | 'url' | 'option' | 'default';

export interface EffectiveSetting<T> {
  /** Undefined when the value depends on something unresolved. */
  readonly value?: T;
  readonly origin: SettingOrigin;
  /** The option that decided it (for origin `option`), or the `url` / `service` option. */
  readonly option?: OptionValue;
}

export interface EffectiveTransport {
  readonly definition: TransportDefinition;
  readonly host: EffectiveSetting<string>;
  readonly port: EffectiveSetting<number>;
  readonly secure: EffectiveSetting<boolean>;
  readonly requireTLS?: boolean;
  readonly ignoreTLS?: boolean;
  readonly authPresent: boolean;
  readonly security: EndpointSecurity;
  /** The well-known service `service` names, if nodemailer knows it. */
  readonly service?: WellKnownService;
}

/** A value as nodemailer would coerce it: booleans from true/false strings, numbers from digits. */
export function asBoolean(v: OptionValue | undefined): boolean | undefined {
  if (!v || v.value === undefined) return undefined;
  if (typeof v.value === 'boolean') return v.value;
  if (typeof v.value === 'number') return v.value !== 0;
  // nodemailer tests truthiness: any non-empty string, "false" included, is true.
  return v.value !== '';
}

export function asPort(v: OptionValue | undefined): number | undefined {
  if (!v || v.value === undefined) return undefined;
  const n = typeof v.value === 'number' ? v.value : typeof v.value === 'string' && /^\s*\d+\s*$/.test(v.value) ? Number(v.value) : NaN;
  return Number.isInteger(n) ? n : undefined;
}

/** Works out the host, port and TLS mode nodemailer will really use for a transport. */
export function effectiveTransport(def: TransportDefinition): EffectiveTransport {
  const o = (k: string) => def.options.get(k);
  const urlOption = o('url');
  const url = typeof urlOption?.value === 'string' ? parseSmtpUrl(urlOption.value) : undefined;
  const urlData = url?.ok ? url.url : undefined;
  // `?service=gmail` in a URL names the service too (the option wins when both are given).
  const urlService = typeof urlData?.options.service === 'string' ? urlData.options.service : undefined;
  const serviceOption = o('service') ?? (urlService !== undefined && urlOption ? { ...urlOption, value: urlService } : undefined);
  const service = typeof serviceOption?.value === 'string' ? lookupService(serviceOption.value) : undefined;
  const unresolvedService = !!serviceOption && serviceOption.value === undefined;

  const unresolvedUrl = !!urlOption && urlOption.value === undefined;
  const pick = <T>(fromService: T | undefined, fromUrl: T | undefined, option: OptionValue | undefined, read: (v: OptionValue | undefined) => T | undefined): EffectiveSetting<T> => {
    if (fromService !== undefined) return { value: fromService, origin: 'service', option: serviceOption };
    if (unresolvedService) return { origin: 'service', option: serviceOption };
    if (fromUrl !== undefined) return { value: fromUrl, origin: 'url', option: urlOption };
    // A URL we cannot read decides host, port and TLS mode: nothing about them is known.
    if (unresolvedUrl) return { origin: 'url', option: urlOption };
    if (option) return { value: read(option), origin: 'option', option };
    return { origin: 'default' };
  };
  // Options built at run time, or partly unreadable: a setting not seen may still be given, so no default.
  const unseen = def.options.get('options');
  const defaultsApply = !unseen || unseen.value !== undefined;

  const flag = (k: string) => {
    const fromUrl = urlData?.options[k];
    if (fromUrl !== undefined) return fromUrl === true || fromUrl === 'true';
    return asBoolean(o(k));
  };
  const secureSetting = pick(service?.secure, urlData ? urlData.secure : undefined, o('secure'), asBoolean);
  const portSetting = pick(service?.port, urlData?.port, o('port'), asPort);
  // nodemailer (smtp-connection): port defaults to 465 with secure, else 587; and when `secure` is not
  // given at all, port 465 turns TLS on by itself, unless STARTTLS is asked for explicitly (Django's
  // EMAIL_USE_TLS, Laravel's MAIL_ENCRYPTION=tls: those clients never start TLS at connect).
  let secure: EffectiveSetting<boolean> = secureSetting;
  if (secureSetting.origin === 'default') {
    secure = defaultsApply ? { value: portSetting.value === 465 && flag('requireTLS') !== true, origin: 'default' } : { origin: 'default' };
  }
  const port: EffectiveSetting<number> =
    portSetting.origin === 'default'
      ? { value: !defaultsApply || secure.value === undefined ? undefined : secure.value ? 465 : 587, origin: 'default' }
      : portSetting;
  const hostSetting = pick(service?.host, urlData?.host, o('host'), (v) => (v?.value === undefined ? undefined : String(v.value)));
  const host: EffectiveSetting<string> = hostSetting.origin === 'default' ? (defaultsApply ? { value: 'localhost', origin: 'default' } : { origin: 'default' }) : hostSetting;

  const requireTLS = flag('requireTLS');
  const ignoreTLS = flag('ignoreTLS');
  const authPresent = !!(urlData?.authPresent || o('auth.user') || o('auth.pass') || o('auth.accessToken') || o('auth.type'));

  let security: EndpointSecurity;
  if (secure.value === undefined) security = 'unknown';
  else if (secure.value) security = 'implicit-tls';
  else if (ignoreTLS) security = 'none';
  else if (requireTLS) security = 'starttls-required';
  else security = 'starttls-opportunistic';

  return { definition: def, host, port, secure, requireTLS, ignoreTLS, authPresent, security, service };
}

/** The endpoint a transport sends to, in the shape live checks take. */
export function endpointOf(def: TransportDefinition): Endpoint {
  const t = effectiveTransport(def);
  const optionRanges: Record<string, { file: string; range: Endpoint['range'] }> = {};
  const envOrigins: Record<string, { variable: string; file?: string; range?: Endpoint['range'] }> = {};
  for (const [k, v] of def.options) {
    optionRanges[k] = { file: v.file, range: v.range };
    if (v.env) envOrigins[k] = { variable: v.env.name, file: v.env.file, range: v.env.range };
  }
  return {
    host: t.host.value,
    port: t.port.value,
    security: t.security,
    authPresent: t.authPresent,
    source: def.source === 'nodemailer' && def.options.has('url') && def.options.size === 1 ? 'smtp-url' : def.source,
    file: def.file,
    range: def.range,
    optionRanges,
    envOrigins,
  };
}
