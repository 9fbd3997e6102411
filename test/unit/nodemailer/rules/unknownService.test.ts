import * as assert from 'assert';
import { unknownService } from '../../../../src/core/nodemailer/rules/unknownService';
import { applyFix, coveredText, where } from '../../helpers';
import { ENV, lintScript, transport } from './lintScript';

const lint = (text: string, env?: string) => lintScript(text, unknownService, env);

describe('nodemailer/unknown-service', () => {
  it('flags a misspelt service, says where nodemailer connects instead, and fixes the name', () => {
    const text = transport("service: 'Gmial', auth: { user: 'me@example.com', pass: process.env.P }");
    const findings = lint(text);
    assert.deepStrictEqual(where(findings), ['2:49 nodemailer/unknown-service']);
    const [f] = findings;
    assert.strictEqual(f.severity, 'warning');
    assert.strictEqual(coveredText(text, f), "'Gmial'");
    assert.match(f.message, /does not know the service "Gmial"/);
    assert.match(f.message, /it connects to localhost instead/);
    assert.match(f.message, /did you mean "Gmail"\?/);
    assert.deepStrictEqual(f.fixes?.map((x) => x.title), ['Change to "Gmail"']);
    assert.match(applyFix(text, f), /service: 'Gmail',/);
  });

  it('matches without case and against aliases and e-mail domains', () => {
    const text = transport("service: 'sendgird'");
    const [f] = lint(text);
    assert.ok(f);
    assert.match(f.message, /did you mean "SendGrid"\?/);
    const domain = transport("service: 'outlok.com'");
    const [g] = lint(domain);
    assert.ok(g);
    assert.match(applyFix(domain, g), /service: 'Outlook365'|service: 'Hotmail'/);
  });

  it('is a warning when host is written, since nodemailer then uses it', () => {
    const text = transport("service: 'my-relay', host: 'smtp.example.com', port: 587");
    const [f] = lint(text);
    assert.ok(f);
    assert.strictEqual(f.severity, 'warning');
    assert.match(f.message, /and ignores it; /);
    assert.match(f.message, /set host and port instead/);
    assert.strictEqual(f.fixes, undefined);
  });

  it('reports a name from .env on the code, linked to the .env line, without a fix', () => {
    const text = transport('service: process.env.MAIL_SERVICE');
    const [f] = lint(text, 'MAIL_SERVICE=gmial\n');
    assert.ok(f);
    assert.strictEqual(coveredText(text, f), 'process.env.MAIL_SERVICE');
    assert.match(f.message, /"gmial"/);
    assert.strictEqual(f.fixes, undefined);
    assert.deepStrictEqual(f.related?.map((r) => r.file), [ENV]);
  });

  it('says nothing for known names, aliases, domains, addresses, or unresolved values', () => {
    for (const options of ["service: 'Gmail'", "service: 'gmail'", "service: 'Google Mail'", "service: 'hotmail.com'", "service: 'me@gmail.com'", "service: 'SES-US-EAST-1'", 'service: process.env.NOT_SET', "host: 'h.example'"]) {
      assert.deepStrictEqual(lint(transport(options)), [], options);
    }
  });
});
