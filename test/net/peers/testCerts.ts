// Certificates made at test time with the openssl CLI: a throw-away CA and leaf certificates signed by it —
// a good one for mail.test/localhost/127.0.0.1, one for the wrong name, and one that expired in 2020
// (`openssl ca` with explicit -startdate/-enddate; OpenSSL 3.0's x509 has no -not_before/-not_after).

import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface KeyPair {
  readonly key: string;
  readonly cert: string;
  readonly keyFile: string;
  readonly certFile: string;
}

export interface TestCerts {
  readonly dir: string;
  /** PEM of the test CA (pass as the probe's `ca` option to trust it). */
  readonly ca: string;
  readonly caFile: string;
  /** CN=mail.test, SAN DNS:mail.test, DNS:localhost, IP:127.0.0.1; valid for 30 days. */
  readonly good: KeyPair;
  /** CN=other.test, SAN DNS:other.test only. */
  readonly wrongName: KeyPair;
  /** mail.test, valid 2020-01-01 … 2020-02-01. */
  readonly expired: KeyPair;
  cleanup(): void;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${err.stderr?.toString() || err.message}`);
  }
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Makes the CA and leaf certificates in a fresh temp directory (about 100 ms). */
export function createTestCerts(parent = os.tmpdir()): TestCerts {
  const dir = fs.mkdtempSync(path.join(parent, 'smtp-doctor-certs-'));
  fs.chmodSync(dir, 0o755); // Postfix (as user postfix) reads these files
  openssl(
    ['req', '-x509', ...EC_KEY, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', '/CN=SMTP Doctor Test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    dir,
  );
  fs.writeFileSync(path.join(dir, 'index.txt'), '');
  fs.writeFileSync(path.join(dir, 'serial'), '1000\n');
  fs.writeFileSync(
    path.join(dir, 'ca.cnf'),
    [
      '[ca]', 'default_ca = test_ca', '[test_ca]', `database = ${dir}/index.txt`, `new_certs_dir = ${dir}`,
      `serial = ${dir}/serial`, 'default_md = sha256', 'policy = any_name', 'unique_subject = no', 'email_in_dn = no',
      '[any_name]', 'commonName = supplied', '',
    ].join('\n'),
  );

  const leaf = (name: string, cn: string, sans: string, dates: string[]): KeyPair => {
    const pair = signLeaf(dir, name, cn, sans, dates);
    fs.chmodSync(pair.keyFile, 0o644); // test keys only; Postfix's smtpd reads them after dropping privileges
    return pair;
  };
  const good = leaf('good', 'mail.test', 'DNS:mail.test, DNS:localhost, IP:127.0.0.1', ['-days', '30']);
  const wrongName = leaf('wrong', 'other.test', 'DNS:other.test', ['-days', '30']);
  const expired = leaf('expired', 'mail.test', 'DNS:mail.test, DNS:localhost', ['-startdate', '20200101000000Z', '-enddate', '20200201000000Z']);
  const caFile = path.join(dir, 'ca.crt');
  return {
    dir,
    ca: fs.readFileSync(caFile, 'utf8'),
    caFile,
    good,
    wrongName,
    expired,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * One more leaf certificate signed by the CA of `certs` (e.g. for an HTTPS peer such as an MTA-STS policy
 * host): `sans` as in openssl ("DNS:mta-sts.a.test, DNS:mta-sts.b.test"), valid for 30 days unless `dates`
 * says otherwise. `name` names the files in `certs.dir` and must be unique there.
 */
export function issueTestCert(certs: TestCerts, name: string, cn: string, sans: string, dates: string[] = ['-days', '30']): KeyPair {
  return signLeaf(certs.dir, name, cn, sans, dates);
}

/** A server certificate for `cn` and `sans`, signed by the CA in `dir` (ca.cnf, ca.crt, ca.key). */
function signLeaf(dir: string, name: string, cn: string, sans: string, dates: string[]): KeyPair {
  const ext = path.join(dir, `${name}.ext`);
  fs.writeFileSync(ext, `basicConstraints = CA:FALSE\nkeyUsage = digitalSignature\nextendedKeyUsage = serverAuth\nsubjectAltName = ${sans}\n`);
  openssl(['req', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`], dir);
  openssl(['ca', '-batch', '-notext', '-config', 'ca.cnf', '-cert', 'ca.crt', '-keyfile', 'ca.key', '-in', `${name}.csr`,
    '-out', `${name}.crt`, '-extfile', ext, ...dates], dir);
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.crt`);
  return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8'), keyFile, certFile };
}
