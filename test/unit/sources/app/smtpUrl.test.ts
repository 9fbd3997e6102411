import * as assert from 'assert';
import { parseSmtpUrl } from '../../../../src/core/sources/app/smtpUrl';

describe('SMTP URLs', () => {
  it('reads host, port, TLS mode, credentials and options with their positions', () => {
    const text = 'smtps://user:pw@smtp.example.com:465/?pool=true&maxConnections=3';
    const r = parseSmtpUrl(text);
    assert.ok(r.ok);
    assert.deepStrictEqual({ ...r.url, hostSpan: undefined, portSpan: undefined, userInfoSpan: undefined }, {
      secure: true, host: 'smtp.example.com', port: 465, authPresent: true, options: { pool: true, maxConnections: 3 },
      hostSpan: undefined, portSpan: undefined, userInfoSpan: undefined,
    });
    assert.strictEqual(text.slice(r.url.portSpan!.start, r.url.portSpan!.end), '465');
    assert.strictEqual(text.slice(r.url.hostSpan!.start, r.url.hostSpan!.end), 'smtp.example.com');
    assert.strictEqual(text.slice(r.url.userInfoSpan!.start, r.url.userInfoSpan!.end), 'user:pw');
  });

  it('gives the specific reason for a bad port or a missing host', () => {
    assert.deepStrictEqual(parseSmtpUrl('smtp://smtp.example.com:587a'), { ok: false, error: '"587a" is not a port number (1-65535)' });
    assert.deepStrictEqual(parseSmtpUrl('smtp://smtp.example.com:70000'), { ok: false, error: '"70000" is not a port number (1-65535)' });
    assert.deepStrictEqual(parseSmtpUrl('smtp://:587'), { ok: false, error: 'the URL has no host name' });
    assert.strictEqual(parseSmtpUrl('http://smtp.example.com').ok, false);
  });

  it('accepts IPv6 literals and direct:// without a host', () => {
    const v6 = parseSmtpUrl('smtp://[2001:db8::25]:2525');
    assert.ok(v6.ok && v6.url.host === '2001:db8::25' && v6.url.port === 2525);
    assert.ok(parseSmtpUrl('direct://').ok);
  });

  it('never takes a bracket holding a path, an @ or a line break for an IP literal (a random seed found it)', () => {
    const r = parseSmtpUrl('smtp://[@smtp://\r]');
    assert.ok(!r.ok || (r.url.host !== undefined && !/[/@\r]/.test(r.url.host)), JSON.stringify(r));
    assert.strictEqual(parseSmtpUrl('smtp://[2001:db8::1/64]').ok, false);
  });
});

describe('SMTP URLs with an unencoded @ in the user name', () => {
  it('split user info at the last @, as URL parsers do', () => {
    const r = parseSmtpUrl('smtp://reports@example.org@smtp.example.org:465');
    assert.ok(r.ok);
    assert.strictEqual(r.url.host, 'smtp.example.org');
    assert.strictEqual(r.url.port, 465);
  });
});
