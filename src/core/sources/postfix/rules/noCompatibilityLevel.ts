import { fileStartSpan } from '../anchors';
import type { PostfixRule } from '../postfixRule';

/**
 * main.cf without compatibility_level: Postfix 3.x then keeps the defaults of Postfix 2.x (level 0)
 * and says so in the log whenever the postfix command runs.
 */
export const noCompatibilityLevel: PostfixRule = {
  meta: {
    id: 'postfix/no-compatibility-level',
    description: 'main.cf does not set compatibility_level, so Postfix runs with backwards-compatible (2.x) defaults.',
    defaultSeverity: 'information',
    fixable: true,
  },
  check(instance, report) {
    const main = instance.main;
    // A template that can add statements unseen may set it.
    if (!main || main.effective.has('compatibility_level') || main.template?.opaque) return;
    const text = main.source.text;
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const lead = text.length > 0 && !text.endsWith('\n') ? eol : '';
    const end = text.length;
    const add = (level: string) => [{ span: { start: end, end }, newText: `${lead}compatibility_level = ${level}${eol}` }];
    report({
      file: 'main',
      span: fileStartSpan(),
      message: 'compatibility_level is not set, so Postfix keeps its 2.x defaults; check the mail log, then set it (e.g. 3.6).',
      fixes: [
        { title: 'Add "compatibility_level = 3.6"', edits: add('3.6'), preferred: true },
        { title: 'Add "compatibility_level = 2" (Postfix 3.0 to 3.5)', edits: add('2') },
      ],
    });
  },
};
