import type { PostfixRule } from '../postfixRule';
import { deprecatedParameter } from './deprecatedParameter';
import { invalidValue } from './invalidValue';
import { saslWithoutTlsOnly } from './saslWithoutTlsOnly';
import { tlsDisabled } from './tlsDisabled';
import { undefinedReference } from './undefinedReference';
import { weakTlsProtocol } from './weakTlsProtocol';
import { duplicateParameter } from './duplicateParameter';
import { hostnameNotFqdn } from './hostnameNotFqdn';
import { masterSyntax } from './masterSyntax';
import { openRelay } from './openRelay';
import { relayhostMxLookup } from './relayhostMxLookup';
import { relayhostPort25 } from './relayhostPort25';
import { submissionDisabled } from './submissionDisabled';
import { submissionInsecure } from './submissionInsecure';
import { syntax } from './syntax';
import { unknownParameter } from './unknownParameter';

/** Every Postfix rule, in the order their findings are reported. */
export const POSTFIX_RULES: readonly PostfixRule[] = [syntax, unknownParameter, duplicateParameter, invalidValue, undefinedReference, deprecatedParameter, tlsDisabled, weakTlsProtocol, saslWithoutTlsOnly, masterSyntax, openRelay, relayhostPort25, relayhostMxLookup, hostnameNotFqdn, submissionDisabled, submissionInsecure];
