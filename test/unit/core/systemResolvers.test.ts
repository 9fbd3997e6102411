// The system's DNS servers, read from resolv.conf by the file-access side and handed to the DNS layer.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseResolvConf, readSystemResolvers } from '../../../src/core/node/systemResolvers';

describe('system resolvers (core/node/systemResolvers.ts)', () => {
  it('reads up to three nameserver lines from resolv.conf, skipping comments and names', () => {
    const conf = '# generated\nsearch example.com\nnameserver 127.0.0.53\n; nameserver 10.0.0.1\nnameserver ::1\nnameserver dns.example\nnameserver 192.0.2.1\nnameserver 192.0.2.2\noptions edns0\n';
    assert.deepStrictEqual(parseResolvConf(conf), ['127.0.0.53:53', '[::1]:53', '192.0.2.1:53']);
  });

  it('reads a resolv.conf file, and gives none for a missing one (the DNS layer then asks Node)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-resolv-'));
    try {
      const conf = path.join(dir, 'resolv.conf');
      fs.writeFileSync(conf, 'nameserver 127.0.0.1\nnameserver ::1\n');
      assert.deepStrictEqual(await readSystemResolvers(conf), ['127.0.0.1:53', '[::1]:53']);
      assert.deepStrictEqual(await readSystemResolvers(path.join(dir, 'missing.conf')), []);
      fs.writeFileSync(conf, '# no servers\n');
      assert.deepStrictEqual(await readSystemResolvers(conf), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
