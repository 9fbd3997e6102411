// Differential test against the real library: for generated createTransport options (hosts, ports of every
// odd kind, `secure` in all forms, requireTLS/ignoreTLS, services with aliases and domains, URLs with query
// options, url next to other options), the host, port and TLS mode SMTP Doctor resolves must equal what
// each installed nodemailer version resolves. nodemailer is asked without connecting: createTransport, then
// an SMTPConnection built from the transport's options (what send() does), whose constructor only reads them.
import * as assert from 'assert';
import fc from 'fast-check';
import { EnvResolver } from '../../../../src/core/sources/app/envFiles';
import { effectiveTransport } from '../../../../src/core/sources/app/effectiveTransport';
import { extractScriptTransports } from '../../../../src/core/sources/app/extractFromScript';
import { nodemailerProfile } from '../../../../src/core/sources/app/versions';

interface Library {
  readonly alias: string;
  readonly version: string;
  createTransport(options: unknown): { transporter: { name?: string; options?: Record<string, unknown> } };
  readonly SMTPConnection: new (options: unknown) => { host: string; port: number; secureConnection: boolean; options: Record<string, unknown> };
}

function load(alias: string): Library {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const version: string = require(`${alias}/package.json`).version;
  return {
    alias,
    version,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    createTransport: require(alias).createTransport,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    SMTPConnection: require(`${alias}/lib/smtp-connection`),
  };
}

const LIBRARIES = ['nodemailer-v6', 'nodemailer-v7', 'nodemailer-v8', 'nodemailer-v9', 'nodemailer-latest'].map(load);

interface Resolved {
  readonly kind: 'smtp' | 'pool' | 'other' | 'throws';
  readonly host?: string;
  readonly port?: number | 'invalid';
  readonly security?: string;
}

/** What the real nodemailer does with `options` (a JS expression). */
function real(lib: Library, source: string): Resolved {
  const options = new Function(`return (${source});`)();
  let mailer;
  try {
    mailer = lib.createTransport(options);
  } catch {
    return { kind: 'throws' };
  }
  const t = mailer.transporter;
  if (t.name !== 'SMTP' && t.name !== 'SMTP (pool)') return { kind: 'other' };
  const c = new lib.SMTPConnection(t.options);
  const o = c.options;
  const security = c.secureConnection ? 'implicit-tls' : o.ignoreTLS ? 'none' : o.requireTLS ? 'starttls-required' : 'starttls-opportunistic';
  const portOk = Number.isInteger(c.port) && c.port >= 0 && c.port < 65536;
  return { kind: t.name === 'SMTP' ? 'smtp' : 'pool', host: c.host, port: portOk ? c.port : 'invalid', security };
}

/** What SMTP Doctor resolves for `options` written in a createTransport call, for `lib`'s version. */
function ours(lib: Library, source: string): Resolved {
  const text = `const nodemailer = require('nodemailer');\nnodemailer.createTransport(${source});\n`;
  const [def] = extractScriptTransports({ file: '/app/mail.js', text }, new EnvResolver([]));
  assert.ok(def, 'a transport is found');
  const t = effectiveTransport(def, nodemailerProfile(lib.version));
  if (t.urlError) return { kind: 'throws' };
  if (t.kind === 'other') return { kind: 'other' };
  assert.ok(t.kind === 'smtp' || t.kind === 'pool', `kind ${t.kind}`);
  return { kind: t.kind, host: t.host.value, port: t.portInvalid ? 'invalid' : t.port.value, security: t.security };
}

const js = (v: unknown) => (v === undefined ? 'undefined' : JSON.stringify(v));

const HOSTS = ['smtp.example.com', 'SMTP.Example.COM', 'mail.test', '127.0.0.1', '', 'localhost'];
const PORTS: unknown[] = [25, 465, 587, 2525, 0, -1, 70000, 1.5, '587', '465', '587a', '', ' 465 ', 'abc', true, false, null, '0x1d1'];
const FLAGS: unknown[] = [true, false, 'true', 'false', '', 0, 1, null, undefined, 'yes'];
const SERVICES = ['gmail', 'Gmail', 'GMAIL', 'gmail.com', 'me@gmail.com', 'Outlook365', 'hotmail', 'SendGrid', 'Proton', 'ProtonMail', 'Maildev', 'Zimbra', 'QQ', 'Yahoo', 'SES', 'nosuch', '', 'Office 365', 'Postmark', 'BOL'];
const URL_HOSTS = ['h.example.com', 'H.Example.COM', '127.0.0.1', '[::1]', '', 'user:pw@h.example.com', 'user@h.example.com', ':pw@h.example.com'];
const URL_PORTS = ['', ':25', ':465', ':587', ':2525', ':0', ':99999', ':abc'];
const URL_QUERIES = ['', '?secure=true', '?requireTLS=true', '?ignoreTLS=true', '?service=gmail', '?port=2525', '?pool=true', '?host=q.example.com', '?requireTLS=true&ignoreTLS=true', '?secure=false'];

const url = fc
  .tuple(fc.constantFrom('smtp://', 'smtps://', 'SMTP://', 'direct://', 'smtp:'), fc.constantFrom(...URL_HOSTS), fc.constantFrom(...URL_PORTS), fc.constantFrom(...URL_QUERIES))
  .map(([scheme, host, port, query]) => `${scheme}${host}${port}${query}`);

const optionObject = fc
  .record(
    {
      host: fc.constantFrom(...HOSTS),
      port: fc.constantFrom(...PORTS),
      secure: fc.constantFrom(...FLAGS),
      requireTLS: fc.constantFrom(...FLAGS),
      ignoreTLS: fc.constantFrom(...FLAGS),
      service: fc.constantFrom(...SERVICES),
      url,
      pool: fc.constantFrom(true, false),
      auth: fc.constant({ user: 'u', pass: 'p' }),
    },
    { requiredKeys: [] },
  )
  .map((o) => `{ ${Object.entries(o).map(([k, v]) => `${k}: ${js(v)}`).join(', ')} }`);

const source = fc.oneof({ weight: 5, arbitrary: optionObject }, { weight: 1, arbitrary: url.map(js) });

describe('differential: resolved host/port/TLS equal each real nodemailer version', () => {
  for (const lib of LIBRARIES) {
    it(`nodemailer ${lib.version} (${lib.alias})`, () => {
      fc.assert(
        fc.property(source, (src) => {
          assert.deepStrictEqual(ours(lib, src), real(lib, src), src);
        }),
        { numRuns: 400 },
      );
    });
  }

  it('the versions really differ where the tool says they do (url next to other options)', () => {
    const src = `{ url: 'smtp://h.example.com', port: 2525 }`;
    const [v7, latest] = [LIBRARIES[1], LIBRARIES[4]];
    assert.deepStrictEqual(real(v7, src).port, 587);
    assert.deepStrictEqual(real(latest, src).port, 2525);
    assert.deepStrictEqual(ours(v7, src).port, 587);
    assert.deepStrictEqual(ours(latest, src).port, 2525);
  });
});
