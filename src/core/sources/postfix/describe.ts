import { redactText, redactValue } from '../../redact';
import type { PostfixInstance } from './instance';
import type { MainCfParameter } from './mainCf';
import { HOST_DEPENDENT_DEFAULTS, POSTFIX_DEFAULTS, POSTFIX_VERSION } from './parameters.generated';

/** What the editor shows about one parameter name (values already redacted). */
export interface ParameterDescription {
  readonly name: string;
  readonly known: boolean;
  /** Postfix's default (unexpanded), or undefined for a user-defined name. */
  readonly defaultValue?: string;
  /** True when postconf computes the default from the host (myhostname, mynetworks, ...). */
  readonly hostDependentDefault: boolean;
  /** The statement in force in main.cf, if any. */
  readonly definedAt?: MainCfParameter;
  readonly rawValue?: string;
  readonly effectiveValue?: string;
  readonly postfixVersion: string;
}

export function describeParameter(instance: PostfixInstance, name: string): ParameterDescription {
  const definedAt = instance.main?.effective.get(name);
  const raw = instance.rawValue(name);
  const effective = instance.effectiveValue(name);
  const def = POSTFIX_DEFAULTS.get(name);
  // Secret-named parameters show their table type only; any other value still has inline credentials masked.
  const shown = (value: string) => redactText(redactValue(name, value));
  return {
    name,
    known: instance.isKnownParameter(name),
    defaultValue: def === undefined ? undefined : shown(def),
    hostDependentDefault: HOST_DEPENDENT_DEFAULTS.has(name),
    definedAt,
    rawValue: raw === undefined ? undefined : shown(raw),
    effectiveValue: effective === undefined ? undefined : shown(effective),
    postfixVersion: POSTFIX_VERSION,
  };
}
