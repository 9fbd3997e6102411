// One DNS query layer: every record query of the live checks goes through dnsRecords.ts over the wire
// client, never through Node's resolver; and `smtp-doctor port` loads that client only when it looks a name up.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as dgram from 'dgram';
import * as fs from 'fs';
import * as path from 'path';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const SRC = path.join(REPO_ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** Code without comments, so a comment that names Node's resolver is not taken for a use of it. */
function code(file: string): string {
  return fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

describe('the one DNS query layer', () => {
  it("asks no record of Node's resolver anywhere in src/: its resolve* functions and Resolver class go unused", () => {
    // Array.reverse() takes no argument, dns.reverse(address) does; Promise.resolve and path.resolve are no DNS.
    const resolverUse = /(new\s+|\.|\{\s*)Resolver\b|\.resolve(4|6|Mx|Txt|Ptr|Cname|Any|Ns|Soa|Srv|Naptr|Caa|Tlsa)\(|(dns|promises|Dns\(\))\.resolve\(|\.reverse\([^)]/;
    const offenders = sourceFiles(SRC)
      .filter((f) => resolverUse.test(code(f)))
      .map((f) => path.relative(REPO_ROOT, f));
    assert.deepStrictEqual(offenders, []);
  });

  it("loads Node's dns module only in the wire client and the lazy built-ins loader", () => {
    const importsDns = sourceFiles(SRC)
      .filter((f) => /from 'dns(\/promises)?'|require\('dns(\/promises)?'\)/.test(code(f).replace(/import type [^;]*;/g, '')))
      .map((f) => path.relative(SRC, f));
    assert.deepStrictEqual(importsDns.sort(), ['core/live/builtins.ts', 'core/live/dnsWire.ts']);
  });

  it("leaves the SMTP connection's own address lookup (getaddrinfo, /etc/hosts) as the one use of the system resolver", () => {
    const systemLookups = sourceFiles(SRC)
      .filter((f) => /nodeDns\(\)\.promises\.lookup\(/.test(code(f)))
      .map((f) => path.relative(SRC, f));
    assert.deepStrictEqual(systemLookups, ['core/live/smtpConnection.ts']);
  });
});

describe("the port command's bundle and the DNS client", () => {
  const cli = path.join(REPO_ROOT, 'dist/cli.js');
  before(function () {
    if (!fs.existsSync(cli)) this.skip();
  });

  /** A loopback UDP port nothing listens on: a DNS query to it is refused at once. */
  async function closedPort(): Promise<number> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const port = socket.address().port;
    await new Promise<void>((resolve) => socket.close(resolve));
    return port;
  }

  /** The built-in modules a `port` run requires (Module._load), printed on exit. */
  function builtinsLoaded(args: readonly string[]): string[] {
    const record = `data:text/javascript,import M from 'node:module';const seen=[];const load=M._load;M._load=function(r,...a){seen.push(r);return load.call(this,r,...a)};process.on('exit',()=>process.stderr.write('\\nLOADED '+JSON.stringify(seen)))`;
    const r = spawnSync(process.execPath, ['--import', record, cli, 'port', ...args], { encoding: 'utf8', timeout: 20_000 });
    const loaded = /LOADED (.*)$/.exec(r.stderr);
    assert.ok(loaded, r.stderr);
    return JSON.parse(loaded[1]) as string[];
  }

  it('does not load the DNS client for an IP address, and loads it when a name is looked up', async () => {
    const port = await closedPort();
    const forAddress = builtinsLoaded([`127.0.0.1:${port}`, '--timeout', '2000']);
    assert.ok(!forAddress.some((m) => /^(node:)?(dgram|dns)$/.test(m)), forAddress.join(' '));
    const forName = builtinsLoaded([`mail.example.test:${port}`, '--dns', `127.0.0.1:${await closedPort()}`, '--timeout', '2000']);
    assert.ok(forName.some((m) => /^(node:)?dgram$/.test(m)), 'the check sees the client being loaded');
  });
});
