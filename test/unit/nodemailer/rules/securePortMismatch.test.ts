import * as assert from 'assert';
import { securePortMismatch } from '../../../../src/core/nodemailer/rules/securePortMismatch';
import { applyFix, coveredText, readFixture, where } from '../../helpers';
import { ENV, lintScript, transport } from './lintScript';

const lint = (text: string, env?: string) => lintScript(text, securePortMismatch, env);

describe('nodemailer/secure-port-mismatch', () => {
  it('flags secure: true on port 587 on the secure value and flips it', () => {
    const text = readFixture('nodemailer/rules/secure-port-mismatch/mailer.ts');
    const findings = lintScript(text, securePortMismatch, undefined, '/app/src/mailer.ts');
    assert.deepStrictEqual(where(findings), ['6:11 nodemailer/secure-port-mismatch']);
    const [f] = findings;
    assert.strictEqual(f.severity, 'error');
    assert.strictEqual(coveredText(text, f), 'true');
    assert.match(f.message, /wrong version number/);
    assert.match(f.message, /use secure: false on 587/);
    assert.deepStrictEqual(f.fixes?.map((x) => x.title), ['Set secure: false', 'Use port 465']);
    assert.match(applyFix(text, f), /port: 587,\n  secure: false,/);
    assert.match(applyFix(text, f, 'Use port 465'), /port: 465,\n  secure: true,/);
  });

  it('flags secure: true on port 25 (a string port counts)', () => {
    const text = transport("host: 'mx.example.com', port: '25', secure: true");
    const [f] = lint(text);
    assert.ok(f);
    assert.strictEqual(coveredText(text, f), 'true');
    assert.match(f.message, /on port 25: TLS at connect fails/);
  });

  describe('port 25: the boundaries of "TLS at once on a STARTTLS port"', () => {
    it('secure: true on 25 written as a number, from a .env file, or with a truthy non-boolean', () => {
      for (const [options, env, underlined] of [
        ["host: 'mx.example.com', port: 25, secure: true", undefined, 'true'],
        ["host: 'mx.example.com', port: Number(process.env.SMTP_PORT), secure: true", 'SMTP_PORT=25\n', 'true'],
        ["host: 'mx.example.com', port: 25, secure: 'false'", undefined, "'false'"],
        ["host: 'mx.example.com', port: 25, secure: 1", undefined, '1'],
      ] as const) {
        const text = transport(options);
        const findings = lint(text, env);
        assert.deepStrictEqual(findings.map((f) => coveredText(text, f)), [underlined], options);
        assert.match(findings[0].message, /on port 25:? TLS at connect fails/);
      }
    });

    it('the port fix for 25 is 465, the secure fix false', () => {
      const text = transport("host: 'mx.example.com', port: 25, secure: true");
      const [f] = lint(text);
      assert.deepStrictEqual(f.fixes?.map((x) => x.title), ['Set secure: false', 'Use port 465']);
      assert.match(applyFix(text, f, 'Use port 465'), /port: 465, secure: true \}/);
      assert.deepStrictEqual(lint(applyFix(text, f)), []);
      assert.deepStrictEqual(lint(applyFix(text, f, 'Use port 465')), []);
    });

    it('an smtps:// URL on port 25, on the port digits', () => {
      const text = transport("url: 'smtps://mx.example.com:25'");
      const [f] = lint(text);
      assert.ok(f);
      assert.strictEqual(coveredText(text, f), '25');
      assert.match(f.message, /smtps:\/\/ on port 25: TLS at connect fails/);
    });

    it('nothing on 25 without TLS at once, nor on the ports next to it or on 2525', () => {
      for (const options of [
        "host: 'mx.example.com', port: 25, secure: false",
        "host: 'mx.example.com', port: 25",
        "url: 'smtp://mx.example.com:25'",
        "host: 'mx.example.com', port: 24, secure: true",
        "host: 'mx.example.com', port: 26, secure: true",
        "host: 'mx.example.com', port: 2525, secure: true",
        "host: 'mx.example.com', port: 250, secure: true",
      ]) {
        assert.deepStrictEqual(lint(transport(options)), [], options);
      }
    });
  });

  it('flags secure: false on port 465 and sets it to true', () => {
    const text = transport("host: 'smtp.example.com', port: 465, secure: false");
    const [f] = lint(text);
    assert.ok(f);
    assert.strictEqual(coveredText(text, f), 'false');
    assert.match(f.message, /the greeting never comes/);
    assert.match(applyFix(text, f), /port: 465, secure: true \}/);
    assert.match(applyFix(text, f, 'Use port 587'), /port: 587, secure: false \}/);
  });

  it('explains that the string "false" is truthy, also when it comes from a .env file', () => {
    const literal = transport("host: 'smtp.example.com', port: 587, secure: 'false'");
    const [a] = lint(literal);
    assert.ok(a);
    assert.strictEqual(coveredText(literal, a), "'false'");
    assert.match(a.message, /secure is the string "false", which is true/);
    assert.match(applyFix(literal, a), /secure: false \}/);

    const fromEnv = transport("host: 'smtp.example.com', port: 587, secure: process.env.SMTP_SECURE");
    const [b] = lint(fromEnv, 'SMTP_SECURE=false\n');
    assert.ok(b);
    assert.strictEqual(coveredText(fromEnv, b), 'process.env.SMTP_SECURE');
    assert.match(b.message, /the string "false" \(SMTP_SECURE\)/);
    assert.match(b.message, /compare it to 'true'/);
    assert.strictEqual(b.fixes?.some((x) => x.title.startsWith('Set secure')), false);
    assert.deepStrictEqual(b.related?.map((r) => [r.file, r.message]), [[ENV, 'SMTP_SECURE is set here']]);
  });

  it('puts URL findings on the port digits and fixes the scheme', () => {
    const tls = "const nodemailer = require('nodemailer');\nnodemailer.createTransport('smtps://smtp.example.com:587');\n";
    const [a] = lint(tls);
    assert.ok(a);
    assert.strictEqual(coveredText(tls, a), '587');
    assert.match(a.message, /smtps:\/\/ on port 587: TLS at connect fails/);
    assert.match(applyFix(tls, a), /'smtp:\/\/smtp\.example\.com:587'/);
    assert.match(applyFix(tls, a, 'Use port 465'), /'smtps:\/\/smtp\.example\.com:465'/);

    const plain = transport("url: 'smtp://user@smtp.example.com:465'");
    const [b] = lint(plain);
    assert.ok(b);
    assert.strictEqual(coveredText(plain, b), '465');
    assert.match(b.message, /the greeting never comes/);
    assert.match(applyFix(plain, b), /'smtps:\/\/user@smtp\.example\.com:465'/);
  });

  it('URL data beats the options object', () => {
    // nodemailer: smtp:// sets secure: false, overriding secure: true.
    const text = transport("url: 'smtp://smtp.example.com:465', secure: true");
    assert.strictEqual(lint(text).length, 1);
    assert.strictEqual(lint(transport("url: 'smtps://smtp.example.com:465', secure: false")).length, 0);
  });

  it('flags secure: true with a well-known service on port 587 on secure', () => {
    const text = transport("service: 'AOL', secure: true");
    const [f] = lint(text);
    assert.ok(f);
    assert.strictEqual(coveredText(text, f), 'true');
    assert.deepStrictEqual(f.fixes?.map((x) => x.title), ['Set secure: false']);
  });

  it('says nothing for matching settings, nodemailer defaults, or values only known at run time', () => {
    for (const options of [
      "host: 'h.example', port: 465, secure: true",
      "host: 'h.example', port: 587, secure: false",
      "host: 'h.example', port: 587",
      // secure not given on 465: smtp-connection turns it on by itself.
      "host: 'h.example', port: 465",
      "host: 'h.example', secure: true",
      "host: 'h.example', port: 2525, secure: true",
      "service: 'Gmail'",
      "host: 'h.example', port: 587, secure: process.env.NOT_SET",
      "host: 'h.example', port: process.env.NOT_SET, secure: true",
      "url: 'smtps://h.example'",
      "url: 'smtp://h.example:587'",
      "url: 'direct://h.example:465'",
    ]) {
      assert.deepStrictEqual(lint(transport(options)), [], options);
    }
  });
});
