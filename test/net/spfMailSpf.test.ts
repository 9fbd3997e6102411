// check_host() against a real SPF implementation: Mail::SPF (Debian libmail-spf-perl, the library behind
// spfquery and SpamAssassin's SPF) and our check_host() ask the same dnsmasq on 127.0.0.1 about the same
// client, sender and HELO name, and must give the same result (and, for a fail, the same explanation).
// The records use what the OpenSPF suite covers with a table of zone data, here through a real DNS
// server: macros of every kind, exists, ptr, exp=, include and redirect chains, mx, the limits.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AuthDns } from '../../src/core/live/mailAuth/authDns';
import { checkHost } from '../../src/core/live/mailAuth/spfEval';
import { parseIp } from '../../src/core/live/mailAuth/spfRecord';
import { dnsmasqAvailable, type DnsmasqPeer, startDnsmasq } from './peers/dnsmasq';

const MAIL_SPF = 'Mail/SPF.pm';

const TXT: [string, string][] = [
  ['macro.test', 'v=spf1 exists:%{i}._spf.%{d} -all'],
  ['sender.test', 'v=spf1 exists:%{l1r-}.u.%{o} ~all'],
  ['ptr.test', 'v=spf1 ptr:ptr.test -all'],
  ['helo.test', 'v=spf1 a:%{h} -all'],
  ['exp.test', 'v=spf1 ip4:192.0.2.1 -all exp=why.exp.test'],
  ['why.exp.test', '%{i} may not send for %{s} (see %{d2})'],
  ['redirect.test', 'v=spf1 ip4:198.51.100.1 redirect=macro.test'],
  ['inc.test', 'v=spf1 include:macro.test include:sender.test ?all'],
  ['mx.test', 'v=spf1 mx/24 -all'],
  ['void.test', 'v=spf1 a:n1.void.test a:n2.void.test a:n3.void.test ip4:192.0.2.1 -all'],
  ['limit.test', `v=spf1 ${Array.from({ length: 11 }, () => 'a:h.limit.test').join(' ')} -all`],
  ['early.test', `v=spf1 a:h.limit.test ${Array.from({ length: 10 }, () => 'a:h.limit.test').join(' ')} -all`],
  ['nospf.test', 'google-site-verification=abc'],
  ['two.test', 'v=spf1 -all'],
  ['two.test', 'v=spf1 ~all'],
  ['dots.test', 'v=spf1 include:macro.test. -all'],
  ['rev.test', 'v=spf1 exists:%{ir}.%{v}.rev.test -all'],
];

const ZONE = {
  hosts: [
    { name: '192.0.2.10._spf.macro.test', addresses: ['127.0.0.2'] },
    // %{i} of 2001:db8::10: its 32 nibbles.
    { name: '2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0._spf.macro.test', addresses: ['127.0.0.2'] },
    { name: 'bob.u.sender.test', addresses: ['127.0.0.2'] },
    { name: 'mail.ptr.test', addresses: ['192.0.2.77'] },
    { name: 'out.helo.test', addresses: ['192.0.2.40'] },
    { name: 'mx1.mx.test', addresses: ['203.0.113.1'] },
    { name: 'h.limit.test', addresses: ['192.0.2.99'] },
    { name: '20.2.0.192.in-addr.rev.test', addresses: ['127.0.0.2'] },
  ],
  mx: [{ domain: 'mx.test', exchange: 'mx1.mx.test', preference: 10 }],
};

/** [client, sender, HELO name] */
const CASES: [string, string, string][] = [
  ['192.0.2.10', 'a@macro.test', 'h.example.test'],
  ['192.0.2.11', 'a@macro.test', 'h.example.test'],
  ['2001:db8::10', 'a@macro.test', 'h.example.test'],
  ['192.0.2.5', 'alice-bob@sender.test', 'h.example.test'],
  ['192.0.2.5', 'bob-alice@sender.test', 'h.example.test'],
  ['192.0.2.77', 'a@ptr.test', 'h.example.test'],
  ['192.0.2.78', 'a@ptr.test', 'h.example.test'],
  ['192.0.2.40', 'a@helo.test', 'out.helo.test'],
  ['192.0.2.40', 'a@helo.test', 'other.helo.test'],
  ['192.0.2.1', 'a@exp.test', 'h.example.test'],
  ['192.0.2.2', 'carol@exp.test', 'h.example.test'],
  ['198.51.100.1', 'a@redirect.test', 'h.example.test'],
  ['192.0.2.10', 'a@redirect.test', 'h.example.test'],
  ['192.0.2.11', 'a@redirect.test', 'h.example.test'],
  ['192.0.2.10', 'x@inc.test', 'h.example.test'],
  ['192.0.2.5', 'alice-bob@inc.test', 'h.example.test'],
  ['192.0.2.6', 'x@inc.test', 'h.example.test'],
  ['203.0.113.200', 'a@mx.test', 'h.example.test'],
  ['203.0.114.1', 'a@mx.test', 'h.example.test'],
  ['192.0.2.1', 'a@void.test', 'h.example.test'],
  ['192.0.2.99', 'a@limit.test', 'h.example.test'],
  ['192.0.2.99', 'a@early.test', 'h.example.test'],
  ['192.0.2.1', 'a@nospf.test', 'h.example.test'],
  ['192.0.2.1', 'a@absent.test', 'h.example.test'],
  ['192.0.2.1', 'a@two.test', 'h.example.test'],
  ['192.0.2.10', 'a@dots.test', 'h.example.test'],
  ['192.0.2.20', 'a@rev.test', 'h.example.test'],
  ['192.0.2.21', 'a@rev.test', 'h.example.test'],
];

function mailSpfAvailable(): boolean {
  const found = ['/usr/share/perl5', '/usr/local/share/perl'].some((dir) => fs.existsSync(path.join(dir, MAIL_SPF)));
  if (found) return true;
  if (process.env.SMTP_DOCTOR_ALLOW_NO_MAIL_SPF === '1') return false;
  throw new Error('Mail::SPF not found: install Debian libmail-spf-perl, or set SMTP_DOCTOR_ALLOW_NO_MAIL_SPF=1 to skip');
}

/** Mail::SPF's result code and explanation of a fail ("" when it has none) for each case. */
function mailSpf(server: string, cases: readonly [string, string, string][]): Promise<string[]> {
  const [host, port] = server.split(':');
  const script = [
    'use strict; use warnings; use Mail::SPF; use Net::DNS::Resolver;',
    'my $resolver = Net::DNS::Resolver->new(nameservers => [$ARGV[0]], port => $ARGV[1], retry => 1, udp_timeout => 3, tcp_timeout => 3);',
    "my $spf = Mail::SPF::Server->new(dns_resolver => $resolver, default_authority_explanation => '');",
    'while (my $line = <STDIN>) { chomp $line; my ($ip, $sender, $helo) = split / /, $line;',
    "  my $result = $spf->process(Mail::SPF::Request->new(scope => 'mfrom', identity => $sender, ip_address => $ip, helo_identity => $helo));",
    "  print $result->code, \"\\t\", ($result->code eq 'fail' ? $result->authority_explanation : ''), \"\\n\"; }",
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn('perl', ['-e', script, host, port], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const lines = out.split('\n').filter((l) => l !== '');
      if (code !== 0 || lines.length !== cases.length) reject(new Error(`perl Mail::SPF exited ${code}: ${err.slice(0, 2000)}`));
      else resolve(lines);
    });
    child.stdin.end(cases.map((c) => c.join(' ')).join('\n') + '\n');
  });
}

describe('check_host() against Mail::SPF, both asking dnsmasq', function () {
  this.timeout(90_000);
  let dns: DnsmasqPeer | undefined;
  let dir: string | undefined;

  before(async function () {
    if (!dnsmasqAvailable() || !mailSpfAvailable()) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spf-mailspf-'));
    const conf = path.join(dir, 'txt.conf');
    fs.writeFileSync(conf, TXT.map(([name, text]) => `txt-record=${name},"${text}"\n`).join(''));
    dns = await startDnsmasq({ ...ZONE, extraArgs: [`--conf-file=${conf}`] });
  });

  after(async () => {
    await dns?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same result, and the same explanation of a fail, for every client and sender', async () => {
    const theirs = await mailSpf(dns!.server, CASES);
    const differences: string[] = [];
    const results = new Set<string>();
    for (const [i, [ip, sender, helo]] of CASES.entries()) {
      const ours = await checkHost(new AuthDns({ servers: [dns!.server], timeoutMs: 3000 }, 500), { ip: parseIp(ip)!, sender, helo });
      const mine = `${ours.result}\t${ours.result === 'fail' ? (ours.explanation ?? '') : ''}`;
      results.add(ours.result);
      if (mine !== theirs[i]) differences.push(`${ip} ${sender} ${helo}: Mail::SPF ${JSON.stringify(theirs[i])}, ours ${JSON.stringify(mine)} (${ours.term ?? ''} ${ours.detail ?? ''})`);
    }
    assert.deepStrictEqual(differences, []);
    // The cases reach every result but temperror (dnsmasq answers everything).
    assert.deepStrictEqual([...results].sort(), ['fail', 'neutral', 'none', 'pass', 'permerror', 'softfail']);
  });
});
