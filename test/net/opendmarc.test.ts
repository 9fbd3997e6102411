// DMARC records against the real OpenDMARC: Debian's opendmarc-check looks each record up and parses it
// as the milter does (opendmarc_policy_query_dmarc), and what it applies is compared with what our model
// says OpenDMARC applies (dmarcRecord.ts, `applied('opendmarc')`), the ground of every "OpenDMARC rejects
// the record" in our messages. It runs in a network and mount namespace of its own (unshare): only lo,
// dnsmasq on 127.0.0.1:53 serving the records, and a resolv.conf naming it bind-mounted over
// /etc/resolv.conf for that namespace alone. Nothing leaves it, and nothing on the machine changes.
//
// The records: our own cases, and every DMARC vector of the conformance data when it is there. Records
// that are not DMARC records to RFC 7489 but hold the text "v=DMARC" ("v=DMARC12", "p=reject; v=DMARC1")
// are left out: OpenDMARC's reading of those is not modelled.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { isDmarcRecord, parseDmarc } from '../../src/core/live/mailAuth/dmarcRecord';
import { conformanceFile } from '../unit/conformance/conformanceData';
import { DNSMASQ_PATH } from './peers/dnsmasq';
import { netnsUnavailable } from './peers/netns';

const run = promisify(execFile);

export const OPENDMARC_CHECK = process.env.SMTP_DOCTOR_OPENDMARC_CHECK ?? '/usr/sbin/opendmarc-check';

const OWN_RECORDS = [
  'v=DMARC1; p=reject',
  'v=DMARC1; p=quarantine; sp=none; rua=mailto:d@example.test',
  'V=DMARC1; p=reject',
  'v = DMARC1; p=reject',
  'v=DMARC1; P=Reject; SP = none',
  'v=DMARC1; sp=reject; p=quarantine',
  'v=DMARC1; p=n',
  'v=DMARC1; p=rej; sp=q',
  'v=DMARC1; p=reject; sp=deny; rua=mailto:d@example.test',
  'v=DMARC1; rua=mailto:d@example.test',
  'v=DMARC1; p=none; rf=afrf:iodef',
  'v=DMARC1; p=none; rf=afrf,iodef',
  'v=DMARC1; p=none; adkim=strict; aspf=relaxed',
  'v=DMARC1; p=none; adkim=x',
  'v=DMARC1; p=none; pct=101',
  'v=DMARC1; p=none; pct=bogus',
  'v=DMARC1; p=quarantine; p=reject',
  'v=DMARC1; p=none; rua=mailto:a@example.test; rua=mailto:b@example.test',
  'v=DMARC1; p=none; rua=mailto:a@example.test,',
  'v=DMARC1; p=none; rua=mailto:a@example.test,,mailto:b@example.test',
  'v=DMARC1; p=none; rua=dmarc@example.test',
  'v=DMARC1; p=none; fo=01',
  'v=DMARC1; p=none; fo=x',
  'v=DMARC1; p=none; ri=3600s',
  'v=DMARC1; p=none;; rua=mailto:a@example.test',
  'v=DMARC1; p=none; junk',
  'v=dmarc1; p=reject',
];

interface Seen {
  readonly status: number;
  readonly output: string;
  /** Domain and subdomain policy as opendmarc-check prints them, when it applies the record. */
  readonly p?: string;
  readonly sp?: string;
}

/** Runs opendmarc-check on `_dmarc.d<i>.test` for each record, in a namespace with dnsmasq serving them. */
async function openDmarcCheck(records: readonly string[]): Promise<Seen[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opendmarc-'));
  try {
    fs.writeFileSync(path.join(dir, 'resolv.conf'), 'nameserver 127.0.0.1\n');
    const txt = [`txt-record=_dmarc.ready.test,"v=DMARC1; p=none"`, ...records.map((r, i) => `txt-record=_dmarc.d${i}.test,"${r}"`)];
    fs.writeFileSync(path.join(dir, 'txt.conf'), `${txt.join('\n')}\n`);
    const script = [
      `mount --bind ${dir}/resolv.conf /etc/resolv.conf`,
      'ip link set lo up',
      `${DNSMASQ_PATH} --keep-in-foreground --no-resolv --no-hosts --bind-interfaces --listen-address=127.0.0.1 --port=53 --conf-file --pid-file --local=/test/ --conf-file=${dir}/txt.conf --log-facility=${dir}/dnsmasq.log &`,
      `for i in $(seq 50); do ${OPENDMARC_CHECK} ready.test >/dev/null 2>&1 && break; sleep 0.1; done`,
      `for i in $(seq 0 ${records.length - 1}); do echo "== $i"; ${OPENDMARC_CHECK} d$i.test 2>&1; echo "== status $?"; done`,
      'kill %1',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'run.sh'), script);
    const { stdout } = await run('unshare', ['--mount', '--net', '--propagation', 'private', 'bash', path.join(dir, 'run.sh')], { timeout: 60_000, maxBuffer: 8 * 1024 * 1024 });
    return records.map((_, i) => {
      const m = new RegExp(`^== ${i}\\n([\\s\\S]*?)^== status (\\d+)$`, 'm').exec(stdout);
      assert.ok(m, `no output for record ${i}:\n${stdout.slice(0, 2000)}`);
      const field = (name: string) => new RegExp(`^\\s*${name}: (\\S+)`, 'm').exec(m[1])?.[1];
      const sp = field('Subdomain policy');
      return { status: Number(m[2]), output: m[1].trim(), ...(m[2] === '0' ? { p: field('Domain policy'), ...(sp && sp !== 'unspecified' ? { sp } : {}) } : {}) };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('DMARC records against the real OpenDMARC (opendmarc-check)', function () {
  this.timeout(90_000);

  it('applies exactly what our model of OpenDMARC says, to every record', async function () {
    const why = netnsUnavailable();
    if (why) {
      console.log(`      cannot create namespaces here: ${why}`);
      this.skip();
    }
    if (!fs.existsSync(OPENDMARC_CHECK)) {
      if (process.env.SMTP_DOCTOR_ALLOW_NO_OPENDMARC === '1') this.skip();
      throw new Error(`opendmarc-check not found at ${OPENDMARC_CHECK}: install Debian opendmarc, or set SMTP_DOCTOR_ALLOW_NO_OPENDMARC=1 to skip`);
    }
    const vectors = conformanceFile('dmarc-vectors.json');
    const fromVectors = vectors.file ? (JSON.parse(fs.readFileSync(vectors.file, 'utf8')) as { vectors: { record: string }[] }).vectors.map((v) => v.record) : [];
    if (!vectors.file) console.log(`      DMARC vectors not used: ${vectors.why}`);
    const records = [...new Set([...OWN_RECORDS, ...fromVectors])].filter((r) => isDmarcRecord(r) || !r.includes('v=DMARC'));
    assert.ok(records.length >= OWN_RECORDS.length);

    const seen = await openDmarcCheck(records);
    const wrong: string[] = [];
    for (const [i, record] of records.entries()) {
      const ours = isDmarcRecord(record) ? parseDmarc(record).applied('opendmarc') : undefined;
      const expected = ours ? `${ours.p}${ours.sp ? `/${ours.sp}` : ''}` : 'no policy';
      const got = seen[i].status === 0 ? `${seen[i].p}${seen[i].sp ? `/${seen[i].sp}` : ''}` : 'no policy';
      if (got !== expected) wrong.push(`${JSON.stringify(record)}: we say OpenDMARC applies ${expected}, opendmarc-check: ${seen[i].output.replace(/\s+/g, ' ')}`);
    }
    console.log(`      opendmarc-check: ${records.length} records, ${records.length - wrong.length} as modelled`);
    assert.deepStrictEqual(wrong, []);
    // The checks that matter most, spelt out: what the real OpenDMARC does that RFC 7489 does not say.
    const of = (record: string) => seen[records.indexOf(record)];
    assert.strictEqual(of('v=DMARC1; p=n').p, 'none', 'OpenDMARC reads an abbreviation');
    assert.strictEqual(of('v=DMARC1; sp=reject; p=quarantine').p, 'quarantine', 'OpenDMARC takes tags in any order');
    assert.notStrictEqual(of('V=DMARC1; p=reject').status, 0, 'OpenDMARC does not find "V=DMARC1"');
    assert.notStrictEqual(of('v=DMARC1; p=none; rf=afrf:iodef').status, 0, 'OpenDMARC splits rf= at commas');
  });
});
