import type { PostfixInstance } from '../instance';
import { expandValue } from '../macros';
import type { MasterCfOverride, MasterCfService } from '../masterCf';
import type { PostfixRule, SpanEdit } from '../postfixRule';
import { isTemplated } from '../template';

function portOf(name: string): string {
  return name.startsWith('[') ? name.slice(name.indexOf(']') + 2) : name.slice(name.lastIndexOf(':') + 1);
}

/** What a service must set, and how to tell whether the value it ends up with is right. */
interface Requirement {
  readonly name: string;
  readonly value: string;
  readonly why: string;
  readonly ok: (value: string, setting: (name: string) => string) => boolean;
}

const yes = (v: string) => v.trim().toLowerCase() === 'yes';

const TLS_REQUIRED: Requirement = {
  name: 'smtpd_tls_security_level',
  value: 'encrypt',
  why: 'no TLS required',
  // An empty level falls back to the obsolete smtpd_enforce_tls = yes, which means the same.
  ok: (v, setting) => v.trim().toLowerCase() === 'encrypt' || (v.trim() === '' && yes(setting('smtpd_enforce_tls'))),
};
const SASL_REQUIRED: Requirement = {
  name: 'smtpd_sasl_auth_enable',
  value: 'yes',
  why: 'no login',
  ok: (v) => yes(v),
};
const WRAPPER_REQUIRED: Requirement = {
  name: 'smtpd_tls_wrappermode',
  value: 'yes',
  why: 'no TLS at connect',
  ok: (v) => yes(v),
};

/** The -o override a service has for `name` (the last one wins), if any. */
function overrideOf(s: MasterCfService, name: string): MasterCfOverride | undefined {
  return [...s.overrides].reverse().find((o) => o.name === name);
}

/** The value `name` has inside this service: its -o override, else main.cf's value or the default. */
function settingIn(instance: PostfixInstance, s: MasterCfService) {
  return (name: string): string => {
    const o = overrideOf(s, name);
    return o ? expandValue(o.value, instance.rawValue) : (instance.effectiveValue(name) ?? '');
  };
}

/** Submission services (587, and implicit-TLS 465) that let clients in without TLS or without a login. */
export const submissionInsecure: PostfixRule = {
  meta: {
    id: 'postfix/submission-insecure',
    description: 'A submission (587) or smtps (465) service that does not require TLS and SASL authentication.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(instance, report) {
    for (const s of instance.master?.services ?? []) {
      if (s.fields[1]?.text !== 'inet' || s.fields[7]?.text !== 'smtpd' || s.fields.some((f) => isTemplated(f.text))) continue;
      const name = s.fields[0].text;
      const port = portOf(name);
      const required = ['submission', '587'].includes(port)
        ? [TLS_REQUIRED, SASL_REQUIRED]
        : ['submissions', 'smtps', '465'].includes(port)
          ? [WRAPPER_REQUIRED, SASL_REQUIRED]
          : undefined;
      if (!required) continue;
      const setting = settingIn(instance, s);
      // Template code in a deciding setting: unknown, not insecure.
      if ([...required.map((r) => r.name), 'smtpd_enforce_tls'].some((n) => isTemplated(setting(n)))) continue;
      const missing = required.filter((r) => !r.ok(setting(r.name), setting));
      if (missing.length === 0) continue;

      // A wrong override is corrected in place; a missing one is added below the service's last line.
      const edits: SpanEdit[] = [];
      let appended = '';
      for (const r of missing) {
        const o = overrideOf(s, r.name);
        if (o) edits.push({ span: o.valueSpan, newText: r.value });
        else appended += `\n  -o ${r.name}=${r.value}`;
      }
      if (appended) edits.push({ span: { start: s.statementSpan.end, end: s.statementSpan.end }, newText: appended });

      const kind = WRAPPER_REQUIRED === required[0] ? 'smtps (465)' : 'submission (587)';
      const whys = missing.map((r) => r.why).join(missing.length > 2 ? ', ' : ' and ');
      const head = `${whys[0].toUpperCase()}${whys.slice(1)} on port ${WRAPPER_REQUIRED === required[0] ? 465 : 587}`;
      const options = missing.map((r) => `-o ${r.name}=${r.value}`);
      const full = `${head}: add ${options.join(' ')}.`;
      report({
        file: 'master',
        span: s.fields[0].span,
        message: full.length <= 120 ? full : `${head}: add ${options[0]} and ${options.length - 1} more.`,
        details: `The ${kind} service "${name}": ${whys}; add ${options.join(' ')}.`,
        fixes: [{ title: `Require ${missing.map((r) => `${r.name}=${r.value}`).join(', ')}`, edits, preferred: true }],
      });
    }
  },
};
