import { MASTER_FIELD_NAMES, SERVICE_TYPES } from '../masterCf';
import type { PostfixRule } from '../postfixRule';
import { isTemplated } from '../template';

/** Why an inet service name is not `[host:]port`, or undefined when it is fine. */
function inetNameProblem(name: string): string | undefined {
  let host = '';
  let port = name;
  if (name.startsWith('[')) {
    const close = name.indexOf(']');
    if (close < 0) return 'has "[" without a matching "]"';
    if (name[close + 1] !== ':') return 'has a [host] but no ":port" after it';
    host = name.slice(1, close);
    port = name.slice(close + 2);
  } else {
    const colon = name.lastIndexOf(':');
    if (colon >= 0) {
      host = name.slice(0, colon);
      port = name.slice(colon + 1);
      if (host.includes(':')) return 'has an IPv6 address without [ ] around it';
      if (!/^[A-Za-z0-9._*-]+$/.test(host)) return `has "${host}" as its host, which is not a host name or address`;
    }
  }
  if (name.startsWith('[') && !/^[0-9A-Fa-f:.]+$/.test(host)) return `has "[${host}]", which is not an IP address`;
  if (port === '') return 'has no port after ":"';
  if (/^\d+$/.test(port)) return Number(port) >= 1 && Number(port) <= 65535 ? undefined : `has port ${port}, outside 1-65535`;
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(port)) return `has "${port}" as its port, which is neither a number nor a service name from /etc/services`;
  return undefined;
}

const YES_NO_DEFAULT = /^[yn-]$/;

/**
 * master.cf service lines Postfix cannot use. The field checks mirror master_ent.c: postconf -M and
 * `postfix start` stop with "bad field count" or "invalid <field> field". A bad inet name is not
 * checked there, but master then fails to bind the listener ("unknown service").
 */
export const masterSyntax: PostfixRule = {
  meta: {
    id: 'postfix/master-syntax',
    description: 'A master.cf service line with a missing or malformed field (type, y/n/- flags, wakeup, maxproc, inet address).',
    defaultSeverity: 'error',
    fixable: false,
  },
  check(instance, report) {
    for (const s of instance.master?.services ?? []) {
      const f = s.fields;
      const service = f[0].text;
      // Template code stands for fields or values we cannot see.
      const known = (k: number) => f[k] !== undefined && !isTemplated(f[k].text);
      if (f.some((x) => isTemplated(x.text)) && f.length < 8) continue;
      if (f.length < 8) {
        report({
          file: 'master',
          span: s.statementSpan,
          message: `Service "${service}" has ${f.length} of the 8 fields a master.cf line needs: Postfix refuses to start.`,
          details: `A master.cf service line has 8 fields: ${MASTER_FIELD_NAMES.join(' ')}; postfix start stops with "bad field count".`,
        });
        // Which field is which is unknown once one is missing: one finding for the line.
        continue;
      }
      const type = f[1];
      if (type && known(1) && !(SERVICE_TYPES as readonly string[]).includes(type.text)) {
        report({
          file: 'master',
          span: type.span,
          message: `Unknown service type "${type.text}" for "${service}": Postfix refuses to start; use ${SERVICE_TYPES.join(', ')}.`,
        });
      }
      for (const k of [2, 3, 4]) {
        const fld = f[k];
        if (fld && known(k) && !YES_NO_DEFAULT.test(fld.text)) {
          report({
            file: 'master',
            span: fld.span,
            message: `The ${MASTER_FIELD_NAMES[k]} field of "${service}" is "${fld.text}", not y, n or -: Postfix refuses to start.`,
          });
        }
      }
      const wakeup = f[5];
      if (wakeup && known(5) && !/^(-|\d+\??)$/.test(wakeup.text)) {
        report({
          file: 'master',
          span: wakeup.span,
          message: `The wakeup field of "${service}" is "${wakeup.text}", not - or seconds (optionally with "?"): Postfix refuses to start.`,
        });
      }
      const maxproc = f[6];
      if (maxproc && known(6) && !/^(-|\d+)$/.test(maxproc.text)) {
        report({
          file: 'master',
          span: maxproc.span,
          message: `The maxproc field of "${service}" is "${maxproc.text}", not - or a number: Postfix refuses to start.`,
        });
      }
      if (type?.text === 'inet' && known(0)) {
        const problem = inetNameProblem(service);
        if (problem) {
          report({
            file: 'master',
            span: f[0].span,
            message: `Service name "${service}" ${problem}: master cannot listen there; write [host:]port.`,
          });
        }
      }
    }
  },
};
