import type { PostfixInstance } from '../instance';
import { serviceName } from '../masterCf';
import type { PostfixRule } from '../postfixRule';
import { relayhostEntries } from '../relayhost';
import { type Setting, configDirectory, isYes, lastOverride, mainSetting, serviceSetting, smtpClientServices } from '../serviceScope';

const ENABLE = 'smtp_sasl_auth_enable';
const MAPS = 'smtp_sasl_password_maps';

const broken = (get: Setting) => isYes(get(ENABLE)) && get(MAPS).trim() === '';

/** The line a sasl_passwd table needs for this configuration's relayhost, as an example. */
function exampleLine(instance: PostfixInstance): string {
  const p = instance.main?.effective.get('relayhost');
  const e = p ? relayhostEntries(p)[0] : undefined;
  const key = e && !e.text.includes('@') ? e.text : '[smtp.example.net]:587';
  return `${key} username:password`;
}

function consequence(instance: PostfixInstance, what: string): string {
  const dir = configDirectory(instance);
  return (
    `${what}: the SMTP client has no table to look up its login in. Each smtp process stops at start with ` +
    `"fatal: specify a password table via the \`${MAPS}' configuration parameter", so outgoing mail stays in the ` +
    `queue ("delivery temporarily suspended: unknown mail transport error"). Point ${MAPS} to hash:${dir}/sasl_passwd, ` +
    `put "${exampleLine(instance)}" in that file and run "postmap ${dir}/sasl_passwd".`
  );
}

/** Client-side SASL switched on without a password table: Postfix's smtp(8) refuses to start. */
export const clientSaslWithoutMaps: PostfixRule = {
  meta: {
    id: 'postfix/client-sasl-without-maps',
    description: 'smtp_sasl_auth_enable = yes without smtp_sasl_password_maps, so the SMTP client cannot start.',
    defaultSeverity: 'error',
    fixable: true,
  },
  check(instance, report) {
    const main = instance.main;
    const services = smtpClientServices(instance);
    if (main && (!instance.master || services.length > 0)) {
      const enable = main.effective.get(ENABLE);
      // Only when some SMTP client takes main.cf's values (one that sets its own -o is judged below).
      const inherits = !instance.master || services.some((s) => !lastOverride(s, ENABLE) && !lastOverride(s, MAPS));
      if (enable && inherits && broken(mainSetting(instance))) {
        const maps = main.effective.get(MAPS);
        const line = `${MAPS} = hash:${configDirectory(instance)}/sasl_passwd`;
        report({
          file: 'main',
          span: enable.statementSpan,
          message: consequence(instance, `${ENABLE} = yes, but ${MAPS} is ${maps ? 'empty' : 'not set'}`),
          fixes: [
            {
              title: `Add ${line}`,
              edits: [maps ? { span: maps.statementSpan, newText: line } : { span: { start: enable.statementSpan.end, end: enable.statementSpan.end }, newText: `\n${line}` }],
            },
          ],
          related: maps ? [{ file: 'main', span: maps.statementSpan, message: `${MAPS} is empty here` }] : undefined,
        });
      }
    }

    for (const s of services) {
      const enable = lastOverride(s, ENABLE);
      const maps = lastOverride(s, MAPS);
      if (!enable && !maps) continue;
      if (!broken(serviceSetting(instance, s))) continue;
      const anchor = enable ?? maps!;
      report({
        file: 'master',
        span: anchor.span,
        message: consequence(
          instance,
          `The SMTP client service "${serviceName(s)}" has ${ENABLE} = yes${enable ? ' (its own -o)' : ''} but an empty ${MAPS}${maps ? ' (its own -o)' : ''}`,
        ),
      });
    }
  },
};
