import { serviceName } from '../masterCf';
import type { PostfixRule } from '../postfixRule';
import { isTemplated } from '../template';
import { type Setting, configDirectory, isYes, lastOverride, mainSetting, serviceSetting, smtpClientServices } from '../serviceScope';

const ENABLE = 'smtp_sasl_auth_enable';
const MAPS = 'smtp_sasl_password_maps';

const broken = (get: Setting) => isYes(get(ENABLE)) && get(MAPS).trim() === '' && !isTemplated(get(MAPS));

function consequence(what: string): string {
  return `${what} stops the SMTP client at start; add a password table.`;
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
      if (enable && inherits && !(main.template?.opaque && !main.effective.has(MAPS)) && broken(mainSetting(instance))) {
        const maps = main.effective.get(MAPS);
        const line = `${MAPS} = hash:${configDirectory(instance)}/sasl_passwd`;
        report({
          file: 'main',
          span: enable.statementSpan,
          message: consequence(`${ENABLE} = yes without ${MAPS}`),
          details: 'smtp(8) stops with "fatal: specify a password table via the `smtp_sasl_password_maps\' configuration parameter" and the mail stays deferred.',
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
        message: consequence(`Service "${serviceName(s)}" sets ${ENABLE} = yes without ${MAPS}`),
      });
    }
  },
};
