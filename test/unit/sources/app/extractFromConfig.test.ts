import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import type { Range, SourceFile } from '../../../../src/core/model';
import { effectiveTransport, endpointOf } from '../../../../src/core/sources/app/effectiveTransport';
import { EnvResolver, parseEnvFile } from '../../../../src/core/sources/app/envFiles';
import { extractConfigTransports, isConfigFile } from '../../../../src/core/sources/app/extractFromConfig';
import type { TransportDefinition } from '../../../../src/core/sources/app/transport';
import { FIXTURES } from '../../helpers';
import { applyEdit, textInRange } from '../../helpers';

const CONFIG_FIXTURES = path.join(FIXTURES, 'nodemailer/config');

function fixture(rel: string): SourceFile {
  const file = path.join(CONFIG_FIXTURES, rel);
  return { file, text: fs.readFileSync(file, 'utf8') };
}

/** A resolver over in-memory .env texts, by path. */
function resolver(envs: Record<string, string> = {}): EnvResolver {
  return new EnvResolver(Object.entries(envs).map(([file, text]) => parseEnvFile({ file, text })));
}

const covered = textInRange;

const inline = (file: string, text: string): SourceFile => ({ file, text });
const extract = (src: SourceFile, env = resolver()) => extractConfigTransports(src, env);
const endpoint = (t: TransportDefinition) => {
  const e = endpointOf(t);
  return [e.host, e.port, e.security, e.authPresent];
};

describe('extractConfigTransports (JSON / YAML)', () => {
  it('isConfigFile: JSON and YAML, not manifests or tsconfig', () => {
    assert.ok(isConfigFile('/a/config.yml') && isConfigFile('/a/b.yaml') && isConfigFile('/a/default.json'));
    assert.ok(!isConfigFile('/a/package.json') && !isConfigFile('/a/package-lock.json') && !isConfigFile('/a/tsconfig.build.json'));
    assert.ok(!isConfigFile('/a/main.cf') && !isConfigFile('/a/app.js'));
  });

  it('an smtp: block in an app config, with exact ranges', () => {
    const src = fixture('app.yml');
    const ts = extract(src);
    assert.strictEqual(ts.length, 1, 'the database block is not a transport');
    const [t] = ts;
    assert.strictEqual(t.source, 'yaml');
    assert.ok(covered(src.text, t.range).startsWith('host: smtp.example.com'));
    assert.ok(covered(src.text, t.range).endsWith('rejectUnauthorized: false'));
    const host = t.options.get('host')!;
    assert.strictEqual(host.value, 'smtp.example.com');
    assert.strictEqual(covered(src.text, host.range), 'smtp.example.com');
    assert.strictEqual(covered(src.text, host.optionRange!), 'host: smtp.example.com');
    assert.strictEqual(host.literal, true);
    assert.strictEqual(t.options.get('port')!.value, 587);
    assert.strictEqual(t.options.get('secure')!.value, false);
    assert.strictEqual(covered(src.text, t.options.get('auth.pass')!.range), '"s3cret"');
    assert.strictEqual(t.options.get('auth.pass')!.value, 's3cret');
    assert.strictEqual(covered(src.text, t.options.get('tls.rejectUnauthorized')!.optionRange!), 'rejectUnauthorized: false');
    assert.deepStrictEqual(endpoint(t), ['smtp.example.com', 587, 'starttls-opportunistic', true]);
  });

  it('addOption in a YAML block mapping: a new line with the mapping indentation', () => {
    const text = 'smtp:\n  host: smtp.example.com # relay\n  auth:\n    user: u\n    pass: p\nother: 1\n';
    const [t] = extract(inline('/a/c.yml', text));
    assert.strictEqual(
      applyEdit(text, t.addOption('secure', true)!),
      'smtp:\n  host: smtp.example.com # relay\n  auth:\n    user: u\n    pass: p\n  secure: true\nother: 1\n',
    );
    assert.strictEqual(
      applyEdit(text, t.addOption('tls.servername', 'smtp.example.com')!),
      'smtp:\n  host: smtp.example.com # relay\n  auth:\n    user: u\n    pass: p\n  tls:\n    servername: smtp.example.com\nother: 1\n',
    );
    assert.strictEqual(applyEdit(text, t.addOption('auth.type', 'login')!), text.replace('    pass: p\n', '    pass: p\n    type: login\n'));
    assert.strictEqual(t.addOption('host', 'x'), undefined, 'already written');
  });

  it('addOption in JSON: `, "key": value` after the last member', () => {
    const text = '{ "smtp": { "host": "smtp.example.com", "port": 587 } }';
    const [t] = extract(inline('/a/c.json', text));
    assert.strictEqual(t.source, 'json');
    assert.strictEqual(applyEdit(text, t.addOption('requireTLS', true)!), '{ "smtp": { "host": "smtp.example.com", "port": 587, "requireTLS": true } }');
    assert.strictEqual(
      applyEdit(text, t.addOption('tls.servername', 'smtp.example.com')!),
      '{ "smtp": { "host": "smtp.example.com", "port": 587, "tls": { "servername": "smtp.example.com" } } }',
    );
    JSON.parse(applyEdit(text, t.addOption('secure', false)!));
  });

  it('JSON with comments (node-config): mail.transport and an SMTP URL string', () => {
    const src = fixture('node-config/default.json');
    const ts = extract(src);
    assert.strictEqual(ts.length, 2, 'the server block (port 8080, no mail key) is not a transport');
    const [transport, url] = ts;
    assert.strictEqual(transport.source, 'json');
    assert.strictEqual(covered(src.text, transport.options.get('host')!.range), '"smtp.sendgrid.net"');
    assert.strictEqual(covered(src.text, transport.options.get('auth.user')!.optionRange!), '"user": "apikey"');
    assert.deepStrictEqual(endpoint(transport), ['smtp.sendgrid.net', 587, 'starttls-opportunistic', true]);
    assert.strictEqual(covered(src.text, url.options.get('url')!.range), '"smtps://alerts:pw@smtp.example.net:465"');
    assert.deepStrictEqual(endpoint(url), ['smtp.example.net', 465, 'implicit-tls', true]);
  });

  it('docker-compose: environment mapping and list, ${VAR} and ${VAR:-default} from .env', () => {
    const src = fixture('compose/docker-compose.yml');
    const dir = path.dirname(src.file);
    const ts = extract(src, resolver({ [path.join(dir, '.env')]: 'SMTP_HOST=smtp.compose.test\n' }));
    assert.strictEqual(ts.length, 2, 'DB_* and REDIS_HOST are not mail families');
    const [web, worker] = ts;
    const host = web.options.get('host')!;
    assert.strictEqual(host.value, 'smtp.compose.test');
    assert.strictEqual(host.env?.name, 'SMTP_HOST');
    assert.strictEqual(host.env?.file, path.join(dir, '.env'));
    assert.strictEqual(host.literal, false);
    assert.strictEqual(covered(src.text, host.range), '${SMTP_HOST}');
    const port = web.options.get('port')!;
    assert.deepStrictEqual([port.value, port.env?.name, port.env?.file], [465, 'SMTP_PORT', undefined], 'the default when unset');
    const user = web.options.get('auth.user')!;
    assert.deepStrictEqual([user.value, user.unresolved?.reason, user.env?.name], [undefined, 'env', 'SMTP_USER']);
    assert.strictEqual(web.options.get('secure')!.value, true);
    assert.deepStrictEqual(endpoint(web), ['smtp.compose.test', 465, 'implicit-tls', true]);
    assert.strictEqual(covered(src.text, web.range), 'SMTP_HOST: ${SMTP_HOST}\n      SMTP_PORT: ${SMTP_PORT:-465}\n      SMTP_SECURE: "true"\n      SMTP_USER: ${SMTP_USER}');

    // List form: `- MAIL_HOST=...`, quoted items, pass-through names.
    const mailHost = worker.options.get('host')!;
    assert.strictEqual(covered(src.text, mailHost.range), 'mail.example.org');
    assert.strictEqual(covered(src.text, mailHost.optionRange!), 'MAIL_HOST=mail.example.org');
    assert.strictEqual(covered(src.text, worker.options.get('port')!.range), '25');
    assert.deepStrictEqual([worker.options.get('auth.pass')!.unresolved?.reason], ['env']);
    assert.deepStrictEqual(endpoint(worker), ['mail.example.org', 25, 'starttls-required', true]);
    assert.strictEqual(worker.addOption('secure', true), undefined);
  });

  it('unset ${VAR} without default leaves the host unresolved (reason env)', () => {
    const [t] = extract(inline('/a/docker-compose.yml', 'services:\n  app:\n    environment:\n      SMTP_HOST: ${SMTP_HOST}\n'));
    const host = t.options.get('host')!;
    assert.deepStrictEqual([host.value, host.unresolved?.reason, host.env?.name], [undefined, 'env', 'SMTP_HOST']);
    assert.strictEqual(endpointOf(t).host, undefined);
  });

  it('an SMTP URL with an unset password variable still gives host, port and TLS; an unset host does not', () => {
    const text = '{\n  "smtp": {\n    "url": "smtps://me%40example.com:${SMTP_PASSWORD}@smtp.example.com"\n  }\n}\n';
    const [t] = extract(inline('/a/appsettings.json', text));
    const url = t.options.get('url')!;
    assert.deepStrictEqual([url.literal, url.env?.name, url.unresolved], [false, 'SMTP_PASSWORD', undefined]);
    assert.deepStrictEqual(endpoint(t), ['smtp.example.com', 465, 'implicit-tls', true]);
    const [u] = extract(inline('/a/c.yml', 'mail:\n  url: smtp://${SMTP_HOST}:587\n'));
    assert.deepStrictEqual([u.options.get('url')!.value, u.options.get('url')!.unresolved?.reason], [undefined, 'env']);
  });

  it('multi-document YAML: one transport per document that has one (flow and block)', () => {
    const src = fixture('multi/multi.yaml');
    const ts = extract(src);
    assert.deepStrictEqual(ts.map(endpoint), [
      ['smtp.one.test', 25, 'starttls-opportunistic', false],
      ['smtp.two.test', 465, 'implicit-tls', false],
    ]);
    assert.strictEqual(covered(src.text, ts[0].range), '{host: smtp.one.test, port: 25}');
    assert.strictEqual(applyEdit(src.text, ts[0].addOption('secure', true)!).split('\n')[2], 'mail: {host: smtp.one.test, port: 25, secure: true}');
    assert.ok(applyEdit(src.text, ts[1].addOption('requireTLS', true)!).includes('    secure: true\n    requireTLS: true\n---'));
  });

  it('Laravel-like mailers: encryption ssl → implicit TLS, username/password → auth, log mailer skipped', () => {
    const src = fixture('laravel/mail.yaml');
    const ts = extract(src);
    assert.strictEqual(ts.length, 1);
    const [t] = ts;
    assert.strictEqual(t.options.get('auth.user')!.value, 'postmaster@example.com');
    const secure = t.options.get('secure')!;
    assert.deepStrictEqual([secure.value, secure.literal, covered(src.text, secure.range)], [true, false, 'ssl']);
    assert.deepStrictEqual(endpoint(t), ['smtp.mailgun.org', 465, 'implicit-tls', true]);
    assert.strictEqual(t.addOption('requireTLS', true), undefined, 'not nodemailer naming: unsure where a new key goes');
  });

  it('Spring-style ${VAR:default} and spring.mail, not spring.redis / datasource', () => {
    const src = fixture('spring/application.yml');
    const ts = extract(src, resolver({ '/elsewhere/.env': 'MAIL_HOST=x\n' }));
    assert.strictEqual(ts.length, 1);
    const host = ts[0].options.get('host')!;
    assert.deepStrictEqual([host.value, host.env?.name], ['smtp.office365.com', 'MAIL_HOST']);
    assert.strictEqual(ts[0].options.get('auth.user')!.unresolved?.reason, 'env');
  });

  it('Kubernetes env list: name/value items, valueFrom is dynamic', () => {
    const src = fixture('k8s/deployment.yaml');
    const [t, ...rest] = extract(src);
    assert.strictEqual(rest.length, 0);
    assert.strictEqual(covered(src.text, t.options.get('host')!.range), 'smtp.k8s.test');
    assert.strictEqual(t.options.get('port')!.value, 2525);
    assert.strictEqual(t.options.get('auth.pass')!.unresolved?.reason, 'dynamic');
  });

  it('SMTP URL strings under url-ish keys and as plain values; inside a block only once', () => {
    const text = 'notify:\n  SMTP_URL: "smtp://u:p@smtp.a.test:2525"\nmailer:\n  url: smtps://smtp.b.test\nsomething: smtp://smtp.c.test:25\n';
    const ts = extract(inline('/a/x.yml', text));
    assert.deepStrictEqual(ts.map(endpoint), [
      ['smtp.a.test', 2525, 'starttls-opportunistic', true],
      ['smtp.b.test', 465, 'implicit-tls', false],
      ['smtp.c.test', 25, 'starttls-opportunistic', false],
    ]);
    assert.strictEqual(covered(text, ts[2].options.get('url')!.range), 'smtp://smtp.c.test:25');
    assert.strictEqual(covered(text, ts[0].options.get('url')!.range), '"smtp://u:p@smtp.a.test:2525"');
  });

  it('YAML anchors and merge keys', () => {
    const text = 'base: &base\n  host: smtp.example.com\n  port: 587\nsmtp:\n  <<: *base\n  secure: true\n';
    const ts = extract(inline('/a/x.yml', text));
    const smtp = ts.find((t) => t.options.has('secure'))!;
    assert.deepStrictEqual(endpoint(smtp), ['smtp.example.com', 587, 'implicit-tls', false]);
  });

  it('false positives: database, redis, mongo, IMAP, Elasticsearch transport, pino transport', () => {
    assert.deepStrictEqual(extract(fixture('negative/database.yml')), []);
    assert.deepStrictEqual(extract(fixture('negative/settings.json')), []);
    assert.deepStrictEqual(extract(inline('/a/db.yml', 'postgres:\n  host: db\n  port: 5432\n  secure: true\n')), []);
    assert.deepStrictEqual(extract(inline('/a/c.yml', 'smtp_relay_enabled: true\nserver:\n  host: 0.0.0.0\n  port: 8080\n')), []);
  });

  it('mail-ish contents without a mail key: submission port, mail host', () => {
    assert.strictEqual(extract(inline('/a/c.yml', 'relay:\n  host: relay.example.com\n  port: 587\n# mail\n')).length, 1);
    assert.strictEqual(extract(inline('/a/c.yml', 'outbound:\n  host: smtp.example.com\n')).length, 1);
    assert.strictEqual(extract(inline('/a/c.yml', 'notifications:\n  host: smtp.example.com\n  port: 6379\n')).length, 0);
  });

  it('cheap skips: no mail words, package.json, tsconfig, huge files', () => {
    assert.deepStrictEqual(extract(inline('/a/c.yml', 'relay:\n  host: relay.example.com\n  port: 587\n')), []);
    assert.deepStrictEqual(extract(inline('/a/package.json', '{"smtp": {"host": "smtp.example.com", "port": 587}}')), []);
    assert.deepStrictEqual(extract(inline('/a/tsconfig.json', '{"smtp": {"host": "smtp.example.com", "port": 587}}')), []);
    const huge = 'smtp:\n  host: smtp.example.com\n  port: 587\n' + '#'.repeat(1_100_000);
    assert.deepStrictEqual(extract(inline('/a/c.yml', huge)), []);
  });

  it('malformed YAML / JSON: no exception, no transport', () => {
    assert.deepStrictEqual(extract(fixture('malformed/broken.yaml')), []);
    assert.deepStrictEqual(extract(fixture('malformed/broken.json')), []);
    for (const text of ['smtp: [', 'smtp:\n\thost: x', '{"mail": }', ': : :', '- - - smtp', '"smtp', '{"smtp": {"host": "a", "port": 25}} trailing', 'a: *nope\nsmtp: 1']) {
      assert.doesNotThrow(() => extract(inline('/a/x.yaml', text)));
      assert.doesNotThrow(() => extract(inline('/a/x.json', text)));
    }
  });

  it('translation files for an SMTP settings form are not transports', () => {
    const text = '{ "settings": { "smtp": { "host": "SMTP host", "port": "Port", "secure": "Use TLS" } } }';
    assert.deepStrictEqual(extract(inline('/a/locales/en.json', text)), []);
  });

  it('never throws and every range lies inside the text (property)', () => {
    const piece = fc.constantFrom(
      'smtp:', 'mail:', '\n', '\n  ', '\n    ', 'host: ', 'port: ', '587', '465', 'secure: true', 'auth:', 'user: u', '- ', 'SMTP_HOST=',
      'MAIL_ENCRYPTION: ssl', '${SMTP_HOST}', '${X:-25}', 'smtp://a@b:25', '{', '}', '[', ']', ',', '"', "'", ':', '&a', '*a', '<<: *a', '---', '#', '\t', '//', '/*',
    );
    const texts = fc.oneof(fc.array(fc.oneof(piece, fc.string({ maxLength: 5 })), { maxLength: 60 }).map((p) => p.join('')), fc.string({ maxLength: 200 }));
    fc.assert(
      fc.property(texts, fc.constantFrom('/a/x.yml', '/a/x.json'), (text, file) => {
        const lines = text.split('\n');
        const inside = (r: Range) =>
          [r.start, r.end].every((p) => p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line].length);
        for (const t of extract(inline(file, text), resolver({ '/a/.env': 'SMTP_HOST=h\n' }))) {
          assert.ok(inside(t.range));
          for (const o of t.options.values()) assert.ok(inside(o.range) && (!o.optionRange || inside(o.optionRange)));
          for (const [k, v] of [['secure', true], ['port', 465], ['tls.servername', 'x']] as const) {
            const e = t.addOption(k, v);
            if (e) assert.ok(inside(e.range));
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('effectiveTransport: service in a mail block', () => {
    const [t] = extract(inline('/a/c.yml', 'mail:\n  service: gmail\n  auth:\n    user: me\n    pass: pw\n'));
    const e = effectiveTransport(t);
    assert.strictEqual(e.host.origin, 'service');
    assert.strictEqual(e.authPresent, true);
  });
});
