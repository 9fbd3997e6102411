// Paths written relative to the file that names them (compose env_file:, a script's import).

/**
 * A path written relative to `base`'s folder, as the same kind of id as `base` (a path with `/` or `\`,
 * or a URI such as VS Code's `file:///...`); undefined for what compose would interpolate first.
 */
export function resolveRelative(base: string, rel: string): string | undefined {
  const r = rel.trim();
  if (!r || r.includes('$') || /^[a-z][a-z0-9+.-]*:\/\//i.test(r)) return undefined;
  const uri = /^([a-z][a-z0-9+.-]*:\/\/[^/]*)(.*)$/i.exec(base);
  const prefix = uri ? uri[1] : '';
  const basePath = uri ? uri[2] : base;
  const sep = !uri && basePath.includes('\\') && !basePath.includes('/') ? '\\' : '/';
  const absolute = /^[\\/]/.test(r) || /^[A-Za-z]:[\\/]/.test(r);
  const segments = absolute ? (/^[\\/]/.test(r) ? [''] : []) : basePath.split(/[\\/]/).slice(0, -1);
  const isRoot = (seg: string) => seg === '' || /^[A-Za-z]:$/.test(seg);
  for (const part of r.split(/[\\/]/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (segments.length && !(segments.length === 1 && isRoot(segments[0]))) segments.pop();
      continue;
    }
    segments.push(uri ? encodeURIComponent(part) : part);
  }
  return prefix + segments.join(sep);
}
