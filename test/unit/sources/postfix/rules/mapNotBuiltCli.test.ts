// postfix/map-not-built end to end: real files next to main.cf, their times set with utimes, the CLI
// listing the folder (src/core/fileWalk.ts) before the synchronous lint.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../../../src/cli';
import { listConfigDir } from '../../../../../src/core/fileWalk';

async function checkJson(cwd: string): Promise<{ code: number; findings: { rule: string; line: number; column: number; endColumn: number; message: string; details?: string }[] }> {
  let out = '';
  const code = await main(['check', '--offline', '--format', 'json', '.'], { out: (s) => (out += s), err: (s) => (out += s), cwd });
  return { code, findings: JSON.parse(out).findings };
}

describe('postfix/map-not-built through the CLI', () => {
  let root: string;
  let etc: string;
  const at = (file: string, seconds: number) => fs.utimesSync(path.join(etc, file), seconds, seconds);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-maps-'));
    etc = path.join(root, 'etc', 'postfix');
    fs.mkdirSync(etc, { recursive: true });
    fs.writeFileSync(
      path.join(etc, 'main.cf'),
      'compatibility_level = 3.6\nmyhostname = mail.example.com\nrelayhost = [smtp.example.net]:587\nsmtp_sasl_auth_enable = yes\n' +
        'smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd\nsmtp_sasl_security_options = noanonymous\nsmtp_tls_security_level = encrypt\n',
    );
    fs.writeFileSync(path.join(etc, 'sasl_passwd'), '[smtp.example.net]:587 user:secret\n');
    fs.writeFileSync(path.join(etc, 'sasl_passwd.db'), 'not really a Berkeley DB file');
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const mapFindings = async () => (await checkJson(root)).findings.filter((f) => f.rule === 'postfix/map-not-built');

  it('flags a database older than its text file, at the table in main.cf', async () => {
    at('sasl_passwd', 1_700_000_100);
    at('sasl_passwd.db', 1_700_000_000);
    const found = await mapFindings();
    assert.deepStrictEqual(found.map((f) => [f.line, f.column, f.endColumn]), [[5, 27, 56]]);
    assert.match(found[0].message, /^sasl_passwd\.db is older than sasl_passwd/);
    assert.match(found[0].details ?? '', /sasl_passwd\.db \(2023-11-14T22:13:20Z\) is older than sasl_passwd \(2023-11-14T22:15:00Z\)/);
    assert.match(found[0].message, /run "postmap \/etc\/postfix\/sasl_passwd"/);
    // The password in the table never reaches a message.
    assert.doesNotMatch(JSON.stringify(found), /secret/);
  });

  it('says nothing once postmap has run (database newer than the text)', async () => {
    at('sasl_passwd', 1_700_000_000);
    at('sasl_passwd.db', 1_700_000_100);
    assert.deepStrictEqual(await mapFindings(), []);
  });

  it('flags a missing database', async () => {
    fs.rmSync(path.join(etc, 'sasl_passwd.db'));
    const found = await mapFindings();
    assert.strictEqual(found.length, 1);
    assert.match(found[0].message, /sasl_passwd\.db is missing/);
  });

  it('lists only regular files of the folder, with their times', () => {
    at('sasl_passwd', 1_700_000_100);
    fs.mkdirSync(path.join(etc, 'maps'));
    const listing = listConfigDir(etc);
    assert.deepStrictEqual([...(listing?.keys() ?? [])].sort(), ['main.cf', 'sasl_passwd', 'sasl_passwd.db']);
    assert.strictEqual(listing?.get('sasl_passwd')?.mtimeMs, 1_700_000_100_000);
    assert.strictEqual(listConfigDir(path.join(root, 'missing')), undefined);
  });
});
