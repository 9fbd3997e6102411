// What a user types to name one server: a host, optionally with a port.

/** `host`, `host:port`, `[v6]:port` or a bare IPv6 address; undefined when it is none of them or the port is out of range. */
export function parseHostPort(text: string): { host: string; port?: number } | undefined {
  const m = /^(\[[^\]]+\]|[^:\s[\]/]+|[0-9a-f]*:[0-9a-f:.]+)(?::(\d{1,5}))?$/i.exec(text.trim());
  if (!m) return undefined;
  const host = m[1].replace(/^\[|\]$/g, '');
  // A bare IPv6 address has colons of its own: a trailing group is not a port.
  if (m[2] !== undefined && m[1].includes(':') && !m[1].startsWith('[')) return { host: text.trim() };
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { host, ...(port ? { port } : {}) };
}
