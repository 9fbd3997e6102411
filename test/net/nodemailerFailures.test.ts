// Every error-level nodemailer rule, shown failing with the real nodemailer (each installed version): the
// options the rule flags as an error make nodemailer fail the way the rule's docs say. Servers run on
// 127.0.0.1 only (a plain SMTP greeter, and an implicit-TLS one with the demo-only certificate).
import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import * as tls from 'tls';
import { lintTransports } from '../../src/core/sources/app/lintTransports';
import { EnvResolver } from '../../src/core/sources/app/envFiles';
import { extractScriptTransports } from '../../src/core/sources/app/extractFromScript';
import { nodemailerProfile } from '../../src/core/sources/app/versions';

const ALIASES = ['nodemailer-v6', 'nodemailer-v7', 'nodemailer-v8', 'nodemailer-v9', 'nodemailer-latest'];
const CERTS = path.join(__dirname, '../../../examples/demo/certs');

interface Mailer {
  verify(): Promise<unknown>;
  close(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (alias: string): { version: string; createTransport(o: unknown): Mailer } => ({ version: require(`${alias}/package.json`).version, createTransport: require(alias).createTransport });

/** The error-level findings SMTP Doctor reports for `options` (JS source) under `version`'s semantics. */
function errors(options: string, version: string): string[] {
  const text = `const nodemailer = require('nodemailer');\nnodemailer.createTransport(${options});\n`;
  const defs = extractScriptTransports({ file: '/app/mail.js', text }, new EnvResolver([])).map((d) => ({ ...d, nodemailerVersion: version }));
  return lintTransports(defs)
    .filter((f) => f.severity === 'error')
    .map((f) => f.ruleId);
}

function plainGreeter(): Promise<net.Server> {
  const server = net.createServer((s) => {
    s.on('error', () => undefined);
    s.write('220 plain.test ESMTP\r\n');
    s.on('data', (d) => {
      if (/^QUIT/i.test(d.toString())) s.end('221 bye\r\n');
      else if (/^EHLO/i.test(d.toString())) s.write('250-plain.test\r\n250 STARTTLS\r\n');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function implicitTlsGreeter(): Promise<tls.Server> {
  const server = tls.createServer({ key: fs.readFileSync(path.join(CERTS, 'demo-only.key')), cert: fs.readFileSync(path.join(CERTS, 'demo-only.crt')) }, (s) => {
    s.on('error', () => undefined);
    s.write('220 tls.test ESMTP\r\n');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const portOf = (s: net.Server) => (s.address() as net.AddressInfo).port;

async function failure(mailer: Mailer): Promise<Error & { code?: string }> {
  try {
    await mailer.verify();
  } catch (e) {
    return e as Error & { code?: string };
  } finally {
    mailer.close();
  }
  throw new Error('nodemailer did not fail');
}

describe('error-level nodemailer rules fail with the real nodemailer', function () {
  this.timeout(60_000);
  let plain: net.Server;
  let implicit: tls.Server;
  before(async () => {
    plain = await plainGreeter();
    implicit = await implicitTlsGreeter();
  });
  after(() => {
    plain.close();
    implicit.close();
  });

  for (const alias of ALIASES) {
    const lib = load(alias);
    describe(`nodemailer ${lib.version}`, () => {
      it('secure-port-mismatch: secure: true (or "false") on a STARTTLS port fails the handshake ("wrong version number")', async () => {
        for (const secure of ['true', "'false'"]) {
          assert.deepStrictEqual(errors(`{ host: 'smtp.example.com', port: 587, secure: ${secure} }`, lib.version), ['nodemailer/secure-port-mismatch']);
          const e = await failure(lib.createTransport({ host: '127.0.0.1', port: portOf(plain), secure: secure === 'true' ? true : 'false', tls: { rejectUnauthorized: false } }));
          assert.match(`${e.code} ${e.message}`, /wrong version number|ESOCKET|EPROTO/i, e.message);
        }
      });

      it('secure-port-mismatch: plain text on an implicit-TLS port (465) never gets a greeting', async () => {
        assert.deepStrictEqual(errors(`{ host: 'smtp.example.com', port: 465, secure: false }`, lib.version), ['nodemailer/secure-port-mismatch']);
        const e = await failure(lib.createTransport({ host: '127.0.0.1', port: portOf(implicit), secure: false, greetingTimeout: 1000 }));
        assert.match(`${e.code} ${e.message}`, /Greeting never received|ETIMEDOUT/i, e.message);
      });

      it('invalid-port: a port out of range makes every send fail (ERR_SOCKET_BAD_PORT)', async () => {
        for (const port of ['70000', '-1', '587.5']) {
          assert.deepStrictEqual(errors(`{ host: '127.0.0.1', port: ${port} }`, lib.version), ['nodemailer/invalid-port'], port);
          const e = await failure(lib.createTransport({ host: '127.0.0.1', port: Number(port) }));
          assert.match(`${e.code} ${e.message}`, /ERR_SOCKET_BAD_PORT|Port should be/i, e.message);
        }
      });

      it('invalid-url: an error exactly where createTransport throws on the URL', () => {
        const url = 'smtp://exa mple.com:587';
        let threw: Error | undefined;
        try {
          lib.createTransport(url).close();
        } catch (e) {
          threw = e as Error;
        }
        const ours = errors(JSON.stringify(url), lib.version);
        assert.strictEqual(ours.includes('nodemailer/invalid-url'), !!threw, `thrown: ${threw?.message}; ours: ${ours.join(', ')}`);
        if (threw) assert.match(threw.message, /Invalid URL/);
        assert.strictEqual(!!nodemailerProfile(lib.version), true);
      });
    });
  }
});
