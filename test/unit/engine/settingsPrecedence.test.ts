import * as assert from 'assert';
import { projectRelease, releaseOver, severitiesOver } from '../../../src/core/engine/settingsPrecedence';
import { parseProjectConfig } from '../../../src/core/projectConfig';
import { allRuleMetas } from '../../../src/core/rules';

describe('engine: settings over the project file', () => {
  it('takes the user’s severity for a rule both set, and the project file’s for the others', () => {
    assert.deepStrictEqual(severitiesOver({ 'postfix/open-relay': 'off', 'postfix/tls-disabled': 'hint' }, { 'postfix/open-relay': 'error' }), {
      'postfix/open-relay': 'error',
      'postfix/tls-disabled': 'hint',
    });
    assert.deepStrictEqual(severitiesOver(undefined, undefined), {});
  });

  it('takes the user’s Postfix release, else the project file’s, naming the file it came from', () => {
    const text = 'postfix:\n  version: "3.7"\n';
    const project = projectRelease(parseProjectConfig({ file: '/w/.smtpdoctor.yml', text }, allRuleMetas().map((r) => r.id)));
    assert.deepStrictEqual(project, { version: '3.7', why: 'postfix.version in .smtpdoctor.yml' });
    assert.deepStrictEqual(releaseOver(project, undefined), project);
    assert.deepStrictEqual(releaseOver(project, { version: '3.9', why: '--postfix-version 3.9' }), { version: '3.9', why: '--postfix-version 3.9' });
    assert.strictEqual(projectRelease(parseProjectConfig({ file: '/w/.smtpdoctor.yaml', text: 'rules: {}\n' }, [])), undefined);
  });
});
