// Facts about host names and addresses that several checks share.

/** localhost, *.localhost, 127.0.0.0/8, ::1, 0.0.0.0: the mail server runs on this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h === 'localhost.localdomain' ||
    /^127(\.\d{1,3}){3}$/.test(h) ||
    h === '::1' ||
    h === '0:0:0:0:0:0:0:1' ||
    h === '::ffff:127.0.0.1' ||
    h === '0.0.0.0'
  );
}

/**
 * Whether an IP address can be seen from the Internet: not loopback, private (RFC 1918, ULA), link-local,
 * CGNAT, documentation, multicast or unspecified. Sending-address checks (SPF, DNSBL) only mean something
 * for these.
 */
export function isPublicAddress(address: string): boolean {
  const a = address.trim().toLowerCase();
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a.replace(/^::ffff:/, ''));
  if (v4) {
    const [o1, o2, o3] = v4.slice(1, 4).map(Number);
    if (o1 === 0 || o1 === 10 || o1 === 127 || o1 >= 224) return false;
    if (o1 === 100 && o2 >= 64 && o2 <= 127) return false; // CGNAT
    if (o1 === 169 && o2 === 254) return false;
    if (o1 === 172 && o2 >= 16 && o2 <= 31) return false;
    if (o1 === 192 && o2 === 168) return false;
    if ((o1 === 192 && o2 === 0 && o3 === 2) || (o1 === 198 && o2 === 51 && o3 === 100) || (o1 === 203 && o2 === 0 && o3 === 113)) return false; // documentation
    if (o1 === 198 && (o2 === 18 || o2 === 19)) return false; // benchmarking
    return true;
  }
  if (!a.includes(':')) return false;
  if (a === '::' || a === '::1') return false;
  return !/^(fe[89ab]|f[cd]|ff|2001:db8:|2001:0db8:)/.test(a);
}
