// The system's DNS servers as its resolver configuration names them. Read here, where file access is allowed,
// and handed to the DNS layer (DnsCheckOptions.systemServers) by whoever starts the live checks.

import { close, open, read } from 'fs';
import { isIPv4 } from 'net';
import { isIpv6Text } from '../hosts';

/** resolv.conf is a few lines; more than this is not read. */
const MAX_RESOLV_CONF_BYTES = 65536;

/** The `nameserver` addresses of a resolv.conf as host:port, in order, at most 3 (as the C library reads them). */
export function parseResolvConf(text: string): string[] {
  const servers: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (!m || servers.length >= 3) continue;
    const address = m[1];
    if (isIPv4(address)) servers.push(`${address}:53`);
    else if (isIpv6Text(address.replace(/%.*$/, ''))) servers.push(`[${address}]:53`);
  }
  return servers;
}

/**
 * The nameservers of `path` (default /etc/resolv.conf); empty when the file is missing or names none, and
 * the DNS layer then asks Node's resolver for the system's servers (e.g. on Windows).
 */
export function readSystemResolvers(path = '/etc/resolv.conf'): Promise<string[]> {
  // fs's callback API rather than fs.promises: loading fs/promises costs ~2 ms at every `smtp-doctor port` start.
  return new Promise((resolve) => {
    open(path, 'r', (openError, fd) => {
      if (openError) return resolve([]);
      const buffer = Buffer.alloc(MAX_RESOLV_CONF_BYTES);
      read(fd, buffer, 0, MAX_RESOLV_CONF_BYTES, 0, (readError, bytesRead) => {
        close(fd, () => resolve(readError ? [] : parseResolvConf(buffer.subarray(0, bytesRead).toString('latin1'))));
      });
    });
  });
}
