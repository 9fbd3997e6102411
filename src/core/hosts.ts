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
