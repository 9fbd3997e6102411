import type { PostfixRule } from '../postfixRule';
import { isTemplated } from '../template';

/**
 * What is wrong with a hostname, following Postfix's valid_hostname(): which characters, where dots and
 * hyphens may go, label and name lengths, no all-numeric names. `fatal` marks names valid_hostname()
 * rejects; a name without a dot passes it but is not fully qualified.
 */
function hostnameProblem(name: string): { fatal: boolean; why: string } | undefined {
  if (name === '') return { fatal: true, why: 'is empty' };
  const bad = /[^A-Za-z0-9._-]/.exec(name);
  if (bad) return { fatal: true, why: `contains "${bad[0]}" (only letters, digits, "-", "_" and ".")` };
  if (name.endsWith('.')) return { fatal: true, why: 'ends with a dot' };
  if (name.startsWith('.') || name.includes('..')) return { fatal: true, why: 'has an empty label (a leading dot or "..")' };
  if (name.length > 255) return { fatal: true, why: 'is longer than 255 characters' };
  const labels = name.split('.');
  if (labels.some((l) => l.length > 63)) return { fatal: true, why: 'has a label longer than 63 characters' };
  if (labels.some((l) => l.startsWith('-') || l.endsWith('-'))) return { fatal: true, why: 'has a label that starts or ends with "-"' };
  if (/^[\d.]+$/.test(name)) return { fatal: true, why: 'is an IP address, not a hostname' };
  if (!name.includes('.')) return { fatal: false, why: 'is not fully qualified' };
  return undefined;
}

/** myhostname (and a literal smtp_helo_name) must be a fully qualified, well-formed host name. */
export const hostnameNotFqdn: PostfixRule = {
  meta: {
    id: 'postfix/hostname-not-fqdn',
    description: 'myhostname or smtp_helo_name is not a valid fully qualified domain name.',
    defaultSeverity: 'warning',
    fixable: false,
  },
  check(instance, report) {
    const main = instance.main;
    if (!main) return;

    const my = main.effective.get('myhostname');
    if (my && !isTemplated(my.value) && !isTemplated(instance.effectiveValue('myhostname') ?? '')) {
      // A value built from $names is judged by what it expands to.
      const value = my.value.includes('$') ? (instance.effectiveValue('myhostname') ?? '') : my.value;
      const problem = hostnameProblem(value);
      if (problem) {
        const shown = value === my.value ? `"${value}"` : `"${my.value}" (= "${value}")`;
        report({
          file: 'main',
          span: my.value ? my.valueSpan : my.nameSpan,
          severity: problem.fatal ? 'error' : undefined,
          message: problem.fatal
            ? `myhostname ${shown} ${problem.why}: Postfix refuses to start; set this server's fully qualified name.`
            : `myhostname ${shown} ${problem.why}, so receivers may reject its HELO; use one like mail.example.com.`,
        });
      }
    }

    const helo = main.effective.get('smtp_helo_name');
    // Only a literal value: $myhostname (the default) is covered above. [address] literals are valid HELO.
    if (helo && !helo.value.includes('$') && !helo.value.startsWith('[') && !isTemplated(helo.value)) {
      const problem = hostnameProblem(helo.value);
      if (problem) {
        report({
          file: 'main',
          span: helo.value ? helo.valueSpan : helo.nameSpan,
          message: `smtp_helo_name "${helo.value}" ${problem.why}; receivers may reject the HELO: use this server's FQDN.`,
        });
      }
    }
  },
};
