// How a parameter resolves inside one master.cf service (its own -o override, else main.cf or the
// default), and which services are the SMTP client and the port-25 SMTP server. Shared by rules that
// must judge main.cf and each service's overrides alike.
import type { PostfixInstance } from './instance';
import { expandValue } from './macros';
import type { MasterCfOverride, MasterCfService } from './masterCf';
import { serviceCommand, serviceName, serviceType } from './masterCf';
import { isTemplated } from './template';

/** Looks up the expanded value of a parameter in some scope (main.cf, or one service). */
export type Setting = (name: string) => string;

export const isYes = (v: string | undefined): boolean => (v ?? '').trim().toLowerCase() === 'yes';

/** The -o override a service has for `name` (the last one wins), if any. */
export function lastOverride(s: MasterCfService, name: string): MasterCfOverride | undefined {
  for (let k = s.overrides.length - 1; k >= 0; k--) if (s.overrides[k].name === name) return s.overrides[k];
  return undefined;
}

/** Values as main.cf (or the default) gives them, expanded. */
export function mainSetting(instance: PostfixInstance): Setting {
  return (name) => instance.effectiveValue(name) ?? '';
}

/** Values as one service sees them: its -o override (expanded against main.cf), else main.cf's value. */
export function serviceSetting(instance: PostfixInstance, s: MasterCfService): Setting {
  return (name) => {
    const o = lastOverride(s, name);
    return o ? expandValue(o.value, instance.rawValue) : (instance.effectiveValue(name) ?? '');
  };
}

/** The port part of an inet service name (`smtp`, `127.0.0.1:smtp`, `[::1]:25` → `smtp`, `smtp`, `25`). */
export function inetPort(name: string): string {
  return name.startsWith('[') ? name.slice(name.indexOf(']') + 2) : name.slice(name.lastIndexOf(':') + 1);
}

/** The host part of an inet service name, or undefined when it listens on inet_interfaces. */
export function inetHost(name: string): string | undefined {
  if (name.startsWith('[')) return name.slice(1, Math.max(1, name.indexOf(']')));
  const colon = name.lastIndexOf(':');
  return colon < 0 ? undefined : name.slice(0, colon);
}

/** Services that run Postfix's SMTP client (`... unix ... smtp`): smtp, relay, and custom transports. */
export function smtpClientServices(instance: PostfixInstance): MasterCfService[] {
  return (instance.master?.services ?? []).filter((s) => serviceType(s) === 'unix' && serviceCommand(s) === 'smtp');
}

/**
 * The SMTP client service that carries mail to the relayhost: the master.cf service named by
 * default_transport (normally `smtp`). Undefined without master.cf or without such a service.
 */
export function defaultTransportService(instance: PostfixInstance): MasterCfService | undefined {
  const transport = (instance.effectiveValue('default_transport') ?? 'smtp').trim().split(':')[0] || 'smtp';
  return smtpClientServices(instance).find((s) => serviceName(s) === transport);
}

/** An smtpd that receives mail on port 25: `smtp`/`25` inet, or the `pass` service postscreen hands over to. */
export function isPort25Smtpd(s: MasterCfService): boolean {
  if (serviceCommand(s) !== 'smtpd') return false;
  const type = serviceType(s);
  if (type === 'pass') return true;
  if (type !== 'inet') return false;
  const port = inetPort(serviceName(s));
  return port === 'smtp' || port === '25';
}

/** Tokens of a Postfix list (comma and/or white space separated) with their offsets in the value. */
export function listTokens(value: string): { text: string; start: number; end: number }[] {
  return [...value.matchAll(/[^\s,]+/g)].map((m) => ({ text: m[0], start: m.index ?? 0, end: (m.index ?? 0) + m[0].length }));
}

/** Postfix's config_directory (default /etc/postfix) without a trailing slash: where absolute map paths are resolved. */
export function configDirectory(instance: PostfixInstance): string {
  return (instance.effectiveValue('config_directory') ?? '').trim().replace(/\/+$/, '') || '/etc/postfix';
}

/** inet_interfaces / service addresses that only the machine itself can reach. */
export const LOOPBACK_ADDRESS = /^(loopback-only|localhost|127(\.\d{1,3}){3}|\[?::1\]?|\[?::ffff:127(\.\d{1,3}){3}\]?)$/i;

/** Whether a service listens only on a loopback address (`127.0.0.1:smtp`), or on inet_interfaces when those are. */
export function listensOnLoopbackOnly(instance: PostfixInstance, s: MasterCfService): boolean {
  const host = serviceType(s) === 'inet' ? inetHost(serviceName(s)) : undefined;
  if (host !== undefined) return LOOPBACK_ADDRESS.test(host);
  return inetInterfacesLoopbackOnly(instance);
}

/**
 * Whether inet_interfaces names only loopback addresses (a null client, a container behind a relay). Template
 * code there counts as loopback: the servers may be reachable only locally, so nothing is said about them.
 */
export function inetInterfacesLoopbackOnly(instance: PostfixInstance): boolean {
  const value = instance.effectiveValue('inet_interfaces') ?? 'all';
  const interfaces = listTokens(value);
  return isTemplated(value) || (interfaces.length > 0 && interfaces.every((t) => LOOPBACK_ADDRESS.test(t.text)));
}
