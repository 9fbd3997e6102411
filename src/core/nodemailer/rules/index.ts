import type { TransportRule } from '../transportRule';
import { hardcodedCredentials } from './hardcodedCredentials';
import { invalidPort } from './invalidPort';
import { invalidUrl } from './invalidUrl';
import { plaintextAuth } from './plaintextAuth';
import { port25Submission } from './port25Submission';
import { securePortMismatch } from './securePortMismatch';
import { tlsVerifyDisabled } from './tlsVerifyDisabled';
import { unknownService } from './unknownService';
import { unresolvedValue } from './unresolvedValue';

/** Every application-transport rule, in the order their findings are reported. */
export const TRANSPORT_RULES: readonly TransportRule[] = [
  invalidUrl,
  unknownService,
  invalidPort,
  securePortMismatch,
  port25Submission,
  plaintextAuth,
  tlsVerifyDisabled,
  hardcodedCredentials,
  unresolvedValue,
];
