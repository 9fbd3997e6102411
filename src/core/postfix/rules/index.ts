import type { PostfixRule } from '../postfixRule';
import { duplicateParameter } from './duplicateParameter';
import { syntax } from './syntax';
import { unknownParameter } from './unknownParameter';

/** Every Postfix rule, in the order their findings are reported. */
export const POSTFIX_RULES: readonly PostfixRule[] = [syntax, unknownParameter, duplicateParameter];
