// docker-compose services: SMTP settings in `environment:` (mapping and list) are read where they are
// written, and the .env files a service loads with `env_file:` become that service's settings, with
// findings on the lines of those files.
import * as assert from 'assert';
import { lintAppFiles } from '../../../../src/core/appLint';
import type { Finding, SourceFile } from '../../../../src/core/model';
import { isEnvFileName } from '../../../../src/core/sources/app/envFiles';
import { resolveRelative } from '../../../../src/core/sources/app/extractFromConfig';
import { applyFix, coveredText } from '../../helpers';

/** `rule file line:col "covered text"` for each finding, files given by id. */
function described(files: readonly SourceFile[], findings: readonly Finding[]): string[] {
  const text = new Map(files.map((f) => [f.file, f.text]));
  return findings.map((f) => `${f.ruleId} ${f.file} ${f.range.start.line + 1}:${f.range.start.character + 1} ${JSON.stringify(coveredText(text.get(f.file) ?? '', f))}`);
}

describe('docker-compose environment and env_file', () => {
  it('EMAIL_PORT "587" with EMAIL_SECURE "true" is reported on the line that writes it, in both forms', () => {
    const map = { file: '/p/docker-compose.yml', text: 'services:\n  api:\n    environment:\n      EMAIL_HOST: smtp.example.com\n      EMAIL_PORT: "587"\n      EMAIL_SECURE: "true"\n' };
    const list = { file: '/p/docker-compose.prod.yml', text: 'services:\n  api:\n    environment:\n      - EMAIL_HOST=smtp.example.com\n      - EMAIL_PORT=587\n      - EMAIL_SECURE=true\n' };
    const result = lintAppFiles([map, list]);
    assert.deepStrictEqual(described([map, list], result.findings), [
      'nodemailer/secure-port-mismatch /p/docker-compose.yml 6:21 "\\"true\\""',
      'nodemailer/secure-port-mismatch /p/docker-compose.prod.yml 6:22 "true"',
    ]);
  });

  it('env_file (a string) makes the file\'s settings the service\'s: the finding lands on the .env line', () => {
    const compose = { file: '/p/compose.yaml', text: 'services:\n  app:\n    image: app\n    env_file: .env.mail\n' };
    const env = { file: '/p/.env.mail', text: 'SMTP_HOST=smtp.example.com\nSMTP_PORT=587\nSMTP_SECURE=true\n' };
    const result = lintAppFiles([compose, env]);
    assert.deepStrictEqual(described([compose, env], result.findings), ['nodemailer/secure-port-mismatch /p/.env.mail 3:13 "true"']);
    // One transport (the service's), not a second one for the .env file on its own.
    assert.deepStrictEqual(
      result.endpoints.map((e) => [e.file, e.range.start.line + 1, e.host, e.port, e.security, e.source]),
      [['/p/compose.yaml', 4, 'smtp.example.com', 587, 'implicit-tls', 'yaml']],
    );
    // The fix edits the .env file, where the finding is.
    const [f] = result.findings;
    assert.strictEqual(applyFix(env.text, f), 'SMTP_HOST=smtp.example.com\nSMTP_PORT=587\nSMTP_SECURE=false\n');
  });

  it('env_file as a list (relative paths, the long syntax), later files win, environment wins over all', () => {
    const compose = {
      file: '/p/deploy/docker-compose.yml',
      text: [
        'services:',
        '  worker:',
        '    env_file:',
        '      - ../config/base.env',
        '      - path: ./mail.env',
        '        required: false',
        '    environment:',
        '      SMTP_PORT: "465"',
        '',
      ].join('\n'),
    };
    const base = { file: '/p/config/base.env', text: 'SMTP_HOST=smtp.old.example\nSMTP_PORT=25\n' };
    const mail = { file: '/p/deploy/mail.env', text: 'SMTP_HOST=smtp.example.com\nSMTP_SECURE=false\n' };
    const result = lintAppFiles([compose, base, mail]);
    assert.deepStrictEqual(result.endpoints.map((e) => [e.host, e.port]), [['smtp.example.com', 465]]);
    // secure=false (mail.env) on port 465 (compose): reported on the setting that decides, in mail.env.
    assert.deepStrictEqual(described([compose, base, mail], result.findings), ['nodemailer/secure-port-mismatch /p/deploy/mail.env 2:13 "false"']);
  });

  it('a finding on the compose line still works with env_file, and two services sharing a file get it once', () => {
    const compose = {
      file: '/p/docker-compose.yml',
      text: 'services:\n  web:\n    env_file: ./smtp.env\n    environment:\n      SMTP_PORT: "25"\n  worker:\n    env_file: ./smtp.env\n  cron:\n    env_file: ./smtp.env\n',
    };
    const env = { file: '/p/smtp.env', text: 'SMTP_HOST=smtp.example.com\nSMTP_PORT=465\nSMTP_SECURE=false\nSMTP_PASSWORD=\n' };
    const result = lintAppFiles([compose, env]);
    assert.deepStrictEqual(described([compose, env], result.findings), [
      'nodemailer/port-25-submission /p/docker-compose.yml 5:18 "\\"25\\""',
      'nodemailer/secure-port-mismatch /p/smtp.env 3:13 "false"',
    ]);
    assert.deepStrictEqual(result.endpoints.map((e) => [e.range.start.line + 1, e.port]), [[3, 25], [7, 465], [9, 465]]);
    // The one finding in smtp.env names both services that load it.
    const inEnv = result.findings.find((f) => f.file === env.file);
    assert.deepStrictEqual(
      inEnv?.related?.filter((r) => r.file === compose.file).map((r) => [r.range.start.line + 1, r.message]),
      [
        [7, 'the transport this setting is part of'],
        [9, 'the transport this setting is part of'],
      ],
    );
  });

  it('a variable passed through (no value) that no .env sets leaves the env_file value', () => {
    const compose = { file: '/p/docker-compose.yml', text: 'services:\n  app:\n    env_file: [mail.env]\n    environment:\n      - SMTP_HOST\n' };
    const env = { file: '/p/mail.env', text: 'SMTP_HOST=smtp.example.com\nSMTP_PORT=465\n' };
    assert.deepStrictEqual(lintAppFiles([compose, env]).endpoints.map((e) => e.host), ['smtp.example.com']);
  });

  it('works with VS Code URIs as file ids', () => {
    const compose = { file: 'file:///home/me/my%20app/compose.yml', text: 'services:\n  app:\n    env_file: ./env/mail.env\n' };
    const env = { file: 'file:///home/me/my%20app/env/mail.env', text: 'MAIL_HOST=smtp.example.com\nMAIL_PORT=587\nMAIL_ENCRYPTION=ssl\n' };
    const result = lintAppFiles([compose, env]);
    assert.deepStrictEqual(described([compose, env], result.findings), ['nodemailer/secure-port-mismatch file:///home/me/my%20app/env/mail.env 3:17 "ssl"']);
  });

  it('an env_file that is not in the workspace changes nothing', () => {
    const compose = { file: '/p/docker-compose.yml', text: 'services:\n  app:\n    env_file: ./missing.env\n    environment:\n      SMTP_HOST: smtp.example.com\n      SMTP_PORT: "465"\n      SMTP_SECURE: "false"\n' };
    assert.deepStrictEqual(described([compose], lintAppFiles([compose]).findings), ['nodemailer/secure-port-mismatch /p/docker-compose.yml 7:20 "\\"false\\""']);
  });

  it('resolveRelative: paths and URIs, ./ and ../, absolute paths, nothing for interpolated paths', () => {
    assert.strictEqual(resolveRelative('/p/deploy/compose.yml', './mail.env'), '/p/deploy/mail.env');
    assert.strictEqual(resolveRelative('/p/deploy/compose.yml', '../config//base.env'), '/p/config/base.env');
    assert.strictEqual(resolveRelative('/compose.yml', '../../x.env'), '/x.env');
    assert.strictEqual(resolveRelative('/p/compose.yml', '/etc/app/mail.env'), '/etc/app/mail.env');
    assert.strictEqual(resolveRelative('case/docker-compose.yml', '.env'), 'case/.env');
    assert.strictEqual(resolveRelative('docker-compose.yml', '../.env'), '.env');
    assert.strictEqual(resolveRelative('C:\\p\\compose.yml', '..\\..\\mail.env'), 'C:\\mail.env');
    assert.strictEqual(resolveRelative('file:///c%3A/p/compose.yml', 'env/my mail.env'), 'file:///c%3A/p/env/my%20mail.env');
    assert.strictEqual(resolveRelative('/p/compose.yml', '${ENV_DIR}/mail.env'), undefined);
    assert.strictEqual(resolveRelative('/p/compose.yml', ''), undefined);
  });

  it('isEnvFileName: .env, .env.*, and <name>.env (what env_file loads); not .envrc', () => {
    for (const name of ['/p/.env', '/p/.env.local', '/p/mail.env', 'C:\\p\\smtp.env', 'prod.mail.env']) assert.ok(isEnvFileName(name), name);
    for (const name of ['/p/.envrc', '/p/env', '/p/environment.yml', '/p/.env.', '/p/a.env.bak']) assert.ok(!isEnvFileName(name), name);
  });
});
