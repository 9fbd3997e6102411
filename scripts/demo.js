#!/usr/bin/env node
// `npm run demo`: every kind of SMTP Doctor result on a machine with no mail server and no internet.
//
// Starts, all on 127.0.0.1 and all inside this process:
//   - a healthy SMTP server with a real STARTTLS upgrade (demo-only certificate, examples/demo/certs/);
//   - a refused port (a port we bound and closed again, so nothing listens there);
//   - a server that accepts connections but never sends its greeting;
//   - a tiny DNS responder (UDP) for the *.demo.test names, answering NXDOMAIN for every other name.
// Then copies examples/demo/workspace to a temp folder, fills in the ports, and runs
//   node dist/cli.js check . --dns 127.0.0.1:<dns port> --probe-hosts 127.0.0.1 ...
// so that every DNS query goes to the responder above and every connection to 127.0.0.1.
// Finally it stops every server, removes the temp folder, and exits with 0 (the CLI's own exit code is 1,
// because the demo configs contain errors on purpose).
'use strict';

const { spawn } = require('child_process');
const dgram = require('dgram');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const tls = require('tls');

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const TEMPLATE = path.join(ROOT, 'examples', 'demo', 'workspace');
const CERTS = path.join(ROOT, 'examples', 'demo', 'certs');
const HOST = '127.0.0.1';
const STEP_TIMEOUT_MS = 2000; // the silent server costs up to two: the greeting wait, then a TLS ClientHello that tells a 465-style port from a dead one

// ---- the demo DNS --------------------------------------------------------------------------------------------

/** The whole demo zone. Names not listed get NXDOMAIN; listed names without the asked type get an empty answer. */
const ZONE = {
  'mail.demo.test': { A: ['127.0.0.1'] },
  'down.demo.test': { A: ['127.0.0.1'] },
  'silent.demo.test': { A: ['127.0.0.1'] },
  'demo.test': { MX: [[10, 'mail.demo.test']], TXT: ['v=spf1 ip4:127.0.0.1 -all'] }, // an MX that resolves; SPF passes
  '_dmarc.demo.test': { TXT: ['v=DMARC1; p=none; rua=mailto:dmarc@demo.test'] }, // DMARC in monitoring mode only
  'nullmx.demo.test': { MX: [[0, '']] }, // RFC 7505 null MX: "0 ."
  '1.0.0.127.in-addr.arpa': { PTR: ['mail.demo.test'] }, // forward-confirmed: mail.demo.test -> 127.0.0.1
};
const TYPES = { 1: 'A', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 5: 'CNAME' };

function encodeName(name) {
  const parts = name.split('.').filter(Boolean).map((label) => {
    const b = Buffer.from(label, 'ascii');
    return Buffer.concat([Buffer.from([b.length]), b]);
  });
  return Buffer.concat([...parts, Buffer.from([0])]);
}

function rdata(type, value) {
  if (type === 'A') return Buffer.from(value.split('.').map(Number));
  if (type === 'PTR') return encodeName(value);
  if (type === 'MX') {
    const pref = Buffer.alloc(2);
    pref.writeUInt16BE(value[0]);
    return Buffer.concat([pref, encodeName(value[1])]);
  }
  if (type === 'TXT') return Buffer.concat([Buffer.from([Buffer.byteLength(value)]), Buffer.from(value)]); // one string (< 256 bytes)
  throw new Error(`no encoder for ${type}`);
}

/** Answers one query (RFC 1035 wire format); returns undefined for anything that is not a plain query. */
function answer(query) {
  if (query.length < 12 || query[2] & 0x80 || query.readUInt16BE(4) !== 1) return undefined;
  const labels = [];
  let i = 12;
  while (i < query.length && query[i] !== 0) {
    if (query[i] & 0xc0) return undefined; // no compression in questions
    labels.push(query.subarray(i + 1, i + 1 + query[i]).toString('ascii'));
    i += query[i] + 1;
  }
  if (i + 5 > query.length) return undefined;
  const question = query.subarray(12, i + 5); // name, type, class — echoed back as sent
  const qtype = query.readUInt16BE(i + 1);
  const records = ZONE[labels.join('.').toLowerCase()];
  const type = TYPES[qtype];
  const values = (records && type && records[type]) || [];
  const answers = values.map((v) => {
    const data = rdata(type, v);
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
    rr.writeUInt16BE(qtype, 2);
    rr.writeUInt16BE(1, 4); // class IN
    rr.writeUInt32BE(60, 6); // TTL
    rr.writeUInt16BE(data.length, 10);
    return Buffer.concat([rr, data]);
  });
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0); // same id
  header[2] = 0x84 | (query[2] & 0x01); // QR, authoritative, RD copied
  header[3] = records ? 0 : 3; // NOERROR or NXDOMAIN
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, question, ...answers]);
}

function startDns() {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (msg, rinfo) => {
      const reply = answer(msg);
      if (reply) socket.send(reply, rinfo.port, rinfo.address);
    });
    socket.once('error', reject);
    socket.bind(0, HOST, () => resolve({ port: socket.address().port, close: () => new Promise((r) => socket.close(() => r())) }));
  });
}

// ---- the SMTP servers ----------------------------------------------------------------------------------------

/** A TCP server on 127.0.0.1 that tracks its sockets, so close() leaves nothing behind. */
function listen(onSocket) {
  const sockets = new Set();
  const own = (s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.once('close', () => sockets.delete(s));
  };
  const server = net.createServer((socket) => {
    own(socket);
    onSocket(socket, own);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () =>
      resolve({
        port: server.address().port,
        close: () =>
          new Promise((r) => {
            server.close(() => r());
            for (const s of sockets) s.destroy();
          }),
      }),
    );
  });
}

/** A small, polite ESMTP dialogue: EHLO, STARTTLS (a real TLS upgrade), NOOP, RSET, QUIT. Accepts no mail. */
function healthySmtp(secureContext) {
  const name = 'mail.demo.test';
  return listen((socket, own) => {
    let stream = socket;
    let tlsActive = false;
    let buffer = '';
    const send = (text) => stream.write(text + '\r\n');
    const onData = (chunk) => {
      buffer += chunk.toString('latin1');
      if (buffer.length > 4096) return stream.destroy();
      let n;
      while ((n = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, n).replace(/\r$/, '');
        buffer = buffer.slice(n + 1);
        const verb = line.split(' ')[0].toUpperCase();
        if (verb === 'EHLO') {
          const ext = tlsActive ? ['AUTH PLAIN LOGIN'] : ['STARTTLS'];
          const lines = [`${name} greets ${line.slice(5).trim() || 'you'}`, 'PIPELINING', 'SIZE 10240000', ...ext, '8BITMIME'];
          send(lines.map((l, i) => `250${i === lines.length - 1 ? ' ' : '-'}${l}`).join('\r\n'));
        } else if (verb === 'HELO') send(`250 ${name}`);
        else if (verb === 'STARTTLS' && !tlsActive) {
          send('220 2.0.0 Ready to start TLS');
          stream.removeListener('data', onData);
          buffer = '';
          const secure = new tls.TLSSocket(socket, { isServer: true, secureContext });
          own(secure);
          stream = secure;
          tlsActive = true;
          secure.on('data', onData);
        } else if (verb === 'NOOP' || verb === 'RSET') send('250 2.0.0 OK');
        else if (verb === 'QUIT') {
          send('221 2.0.0 Bye');
          stream.end();
        } else send('502 5.5.2 This demo server accepts no mail');
      }
    };
    socket.on('data', onData);
    send(`220 ${name} ESMTP SMTP Doctor demo server`);
  });
}

/** Accepts connections and never says a word (the client's greeting timeout fires). */
const silentSmtp = () => listen(() => undefined);

/** A port nothing listens on: bind an ephemeral port, then close it again. */
async function closedPort() {
  const s = await listen(() => undefined);
  await s.close();
  return s.port;
}

// ---- the workspace ------------------------------------------------------------------------------------------

function copyTemplate(from, to, vars) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyTemplate(src, dst, vars);
    else if (entry.name !== 'README.md') {
      const text = fs.readFileSync(src, 'utf8').replace(/\{\{(\w+)\}\}/g, (m, key) => (key in vars ? String(vars[key]) : m));
      fs.writeFileSync(dst, text);
    }
  }
}

// ---- main --------------------------------------------------------------------------------------------------

async function run() {
  if (!fs.existsSync(CLI)) {
    console.error(`demo: ${path.relative(process.cwd(), CLI)} is missing; build it first with "node esbuild.js" (npm run demo does).`);
    return 2;
  }
  const secureContext = tls.createSecureContext({
    key: fs.readFileSync(path.join(CERTS, 'demo-only.key')),
    cert: fs.readFileSync(path.join(CERTS, 'demo-only.crt')),
  });
  const stops = [];
  let dir;
  try {
    const dns = await startDns();
    stops.push(dns.close);
    const healthy = await healthySmtp(secureContext);
    stops.push(healthy.close);
    const silent = await silentSmtp();
    stops.push(silent.close);
    const refused = await closedPort();

    const at = (name, port) => `${name}:${port}`.padEnd(24);
    console.log('SMTP Doctor demo: throw-away servers on 127.0.0.1 (nothing leaves this machine)');
    console.log(`  dns          ${at('127.0.0.1', dns.port)} UDP responder for *.demo.test (and 127.0.0.1's PTR); NXDOMAIN for any other name`);
    console.log(`  healthy      ${at('mail.demo.test', healthy.port)} ESMTP with a real STARTTLS upgrade (self-signed demo-only certificate)`);
    console.log(`  closed port  ${at('down.demo.test', refused)} nothing listens: connections are refused`);
    console.log(`  silent       ${at('silent.demo.test', silent.port)} accepts connections but never sends its greeting`);

    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-doctor-demo-'));
    copyTemplate(TEMPLATE, dir, { HEALTHY_PORT: healthy.port, REFUSED_PORT: refused, SILENT_PORT: silent.port });
    // The demo's MX (mail.demo.test) is the healthy server: its port stands in for 25.
    const args = ['check', '.', '--dns', `${HOST}:${dns.port}`, '--probe-hosts', HOST, '--mx-port', String(healthy.port), '--timeout', String(STEP_TIMEOUT_MS), '--ehlo', 'demo-client.demo.test'];
    console.log(`\nRunning: smtp-doctor ${args.join(' ')}   (in a copy of examples/demo/workspace)\n`);

    const code = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
      const killer = setTimeout(() => child.kill(), 60_000);
      child.once('error', reject);
      child.once('exit', (c, signal) => {
        clearTimeout(killer);
        resolve(c ?? `signal ${signal}`);
      });
    });
    console.log(
      code === 1
        ? '\nThe CLI exited with 1 because it found error-severity findings: expected here, the demo configs are broken on purpose.\n' +
            'Try it on your own configs: npm run check -- PATH   (add --offline to skip the live checks).'
        : `\nThe CLI exited with ${code}.`,
    );
    return code === 0 || code === 1 ? 0 : 1;
  } finally {
    await Promise.all(stops.map((stop) => stop()));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    console.log('All demo servers stopped.');
  }
}

// `npm run demo | head` closes our stdout early: keep going so that every server still stops.
process.stdout.on('error', () => undefined);

run().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`demo failed: ${e && e.stack ? e.stack : e}`);
    process.exitCode = 1;
  },
);
