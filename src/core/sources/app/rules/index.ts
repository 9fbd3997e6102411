import type { TransportRule } from '../transportRule';
import { envBooleanString } from './envBooleanString';
import { hardcodedCredentials } from './hardcodedCredentials';
import { invalidPort } from './invalidPort';
import { invalidUrl } from './invalidUrl';
import { ipHostWithoutServername } from './ipHostWithoutServername';
import { legacyCiphers } from './legacyCiphers';
import { legacyOption } from './legacyOption';
import { noHost } from './noHost';
import { plaintextAuth } from './plaintextAuth';
import { port25Submission } from './port25Submission';
import { securePortMismatch } from './securePortMismatch';
import { serviceOverridesHost } from './serviceOverridesHost';
import { tlsVerifyDisabled } from './tlsVerifyDisabled';
import { unknownService } from './unknownService';
import { unresolvedValue } from './unresolvedValue';

/** Every application-transport rule, in the order their findings are reported. */
export const TRANSPORT_RULES: readonly TransportRule[] = [
  invalidUrl,
  unknownService,
  noHost,
  serviceOverridesHost,
  legacyOption,
  invalidPort,
  securePortMismatch,
  envBooleanString,
  port25Submission,
  plaintextAuth,
  tlsVerifyDisabled,
  ipHostWithoutServername,
  legacyCiphers,
  hardcodedCredentials,
  unresolvedValue,
];
