import * as assert from 'assert';
import { parseTlsRptRecords, ruaProblem } from '../../../src/core/live/mailAuth/tlsRpt';

describe('TLS-RPT record', () => {
  it('reads the rua URIs of one v=TLSRPTv1 record, ignoring other records', () => {
    assert.deepStrictEqual(parseTlsRptRecords(['v=spf1 -all', 'v=TLSRPTv1; rua=mailto:tls@example.com, https://r.example.net/tls;']), {
      candidates: ['v=TLSRPTv1; rua=mailto:tls@example.com, https://r.example.net/tls;'],
      rua: ['mailto:tls@example.com', 'https://r.example.net/tls'],
      errors: [],
    });
    assert.deepStrictEqual(parseTlsRptRecords(['v=TLSRPTv1;rua=mailto:tls%2Breports@example.com;ext=1']).errors, []);
  });

  it('treats no record as "not published"', () => {
    assert.deepStrictEqual(parseTlsRptRecords(['something else']), { candidates: [], rua: [], errors: [] });
  });

  const errors = (r: string) => parseTlsRptRecords([r]).errors.join(' | ');
  it('rejects what senders cannot use', () => {
    assert.match(errors('v=TLSRPTv1'), /rua= field .* is missing/);
    assert.match(errors('v=TLSRPTv1; rua='), /rua= is empty/);
    assert.match(errors('v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com'), /rua= appears more than once/);
    assert.match(errors('v=tlsrptv1; rua=mailto:a@example.com'), /case-sensitive/);
    assert.match(errors('v=TLSRPTv1; rua=a@example.com'), /is not a URI/);
    assert.match(errors('v=TLSRPTv1; rua=http://r.example.com/'), /uses http:/);
    assert.match(errors('v=TLSRPTv1; rua=mailto:nobody'), /not mailto: followed by an email address/);
    assert.match(errors('v=TLSRPTv1; rua=mailto:a@example.com; junk'), /malformed field "junk"/);
    assert.match(parseTlsRptRecords(['v=TLSRPTv1; rua=mailto:a@x.example', 'v=TLSRPTv1; rua=mailto:b@x.example']).errors.join(), /2 records/);
    assert.match(errors(`v=TLSRPTv1; rua=${Array.from({ length: 12 }, (_, i) => `mailto:r${i}@example.com`).join(',')}`), /lists 12 URIs/);
  });

  it('checks each URI', () => {
    assert.strictEqual(ruaProblem('mailto:tls-reports@example.com'), undefined);
    assert.strictEqual(ruaProblem('MAILTO:tls@example.com?subject=x'), undefined);
    assert.strictEqual(ruaProblem('https://reports.example.com/v1/tlsrpt'), undefined);
    assert.match(ruaProblem('https://')!, /not a valid https: URL/);
    assert.match(ruaProblem('mailto:%zz@example.com')!, /broken %-escape/);
    assert.match(ruaProblem('ftp://example.com/')!, /uses ftp:/);
  });
});
