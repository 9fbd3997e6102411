#!/usr/bin/env node
// Prints the wall time to probe N loopback SMTP servers that each delay their greeting by D ms, all at
// once, against the floor of a single delay. Only 127.0.0.1 is contacted.
// Usage: npm run compile-tests && node scripts/measure-probe.js [servers=50] [delayMs=200]
'use strict';
const net = require('net');
const path = require('path');
const { performance } = require('perf_hooks');
const { probeSmtp } = require(path.resolve(__dirname, '../out/src/core/live/smtpProbe'));
const { CheckScheduler } = require(path.resolve(__dirname, '../out/src/core/live/scheduler'));

const count = Number(process.argv[2] || 50);
const delay = Number(process.argv[3] || 200);

function startServer() {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    const timer = setTimeout(() => socket.write('220 slow.test ESMTP\r\n'), delay);
    socket.on('close', () => clearTimeout(timer));
    socket.on('data', (d) => {
      const line = d.toString('latin1').toUpperCase();
      if (line.startsWith('EHLO')) socket.write('250-slow.test\r\n250 PIPELINING\r\n');
      else if (line.startsWith('QUIT')) socket.end('221 bye\r\n');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

(async () => {
  const servers = await Promise.all(Array.from({ length: count }, startServer));
  const ports = servers.map((s) => s.address().port);
  const scheduler = new CheckScheduler({ concurrency: 64 });
  const started = performance.now();
  const results = await Promise.all(ports.map((port) => scheduler.run(`smtp:${port}`, (signal) => probeSmtp({ host: '127.0.0.1', port, signal }))));
  const ms = performance.now() - started;
  const open = results.filter((r) => r.status === 'open').length;
  console.log(`${count} loopback servers, greeting delayed ${delay} ms, probed concurrently`);
  console.log(`wall time      ${ms.toFixed(0)} ms   (${open}/${count} open)`);
  console.log(`floor          ${delay} ms   (one greeting delay)`);
  console.log(`ratio          ${(ms / delay).toFixed(2)}x`);
  for (const s of servers) s.close();
})();
