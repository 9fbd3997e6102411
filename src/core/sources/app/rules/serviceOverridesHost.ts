import type { Range, RelatedLocation, TextEdit } from '../../../model';
import { asBoolean, asPort } from '../effectiveTransport';
import type { OptionValue } from '../transport';
import type { TransportRule } from '../transportRule';
import { lookupService } from '../wellKnownServices';

const KEYS = ['host', 'port', 'secure'] as const;

const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character < b.character);

/** Overlapping or touching deletions merged into one (an editor refuses overlapping edits). */
function mergeDeletions(ranges: readonly Range[]): TextEdit[] {
  const sorted = [...ranges].sort((a, b) => (before(a.start, b.start) ? -1 : before(b.start, a.start) ? 1 : 0));
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && !before(last.end, r.start)) out[out.length - 1] = { start: last.start, end: before(last.end, r.end) ? r.end : last.end };
    else out.push(r);
  }
  return out.map((range) => ({ range, newText: '' }));
}

function written(key: (typeof KEYS)[number], o: OptionValue): string | number | boolean | undefined {
  if (key === 'port') return asPort(o);
  if (key === 'secure') return asBoolean(o);
  return o.value === undefined ? undefined : String(o.value);
}

/**
 * `service` together with host, port or secure: nodemailer applies the well-known service's settings
 * last (smtp-transport: shared.assign(options, urlData, wellKnown(service))), so they win.
 */
export const serviceOverridesHost: TransportRule = {
  meta: {
    id: 'nodemailer/service-overrides-host',
    description: '`service` together with host, port or secure: the well-known service\'s values win and the others are ignored.',
    defaultSeverity: 'warning',
    fixable: true,
  },
  check(t, report) {
    const def = t.definition;
    const s = def.options.get('service');
    if (!s || typeof s.value !== 'string') return;
    const service = lookupService(s.value);
    if (!service) return; // nodemailer/unknown-service: an unknown service is the one ignored
    const ignored: { key: (typeof KEYS)[number]; option: OptionValue; from: string | number | boolean; value?: string | number | boolean }[] = [];
    for (const key of KEYS) {
      const option = def.options.get(key);
      const from = service[key];
      // A service that does not set the key (AOL sets no `secure`) leaves the option alone.
      if (!option || from === undefined) continue;
      const value = written(key, option);
      // The same value twice is redundant, not wrong.
      if (value !== undefined && (key === 'host' ? String(value).toLowerCase() === String(from).toLowerCase() : value === from)) continue;
      ignored.push({ key, option, from, value });
    }
    if (!ignored.length) return;

    const name = `service: ${JSON.stringify(s.value)}${s.env ? ` (from ${s.env.name})` : ''}`;
    const list = ignored
      .map((i) => `${i.key} ${i.value === undefined ? '(whatever it is set to)' : JSON.stringify(i.value)}${i.option.env ? ` from ${i.option.env.name}` : ''}`)
      .join(', ');
    const related: RelatedLocation[] = ignored.map((i) => ({
      file: i.option.file,
      range: i.option.range,
      message: `ignored: ${service.name} sets ${i.key} ${String(i.from)}`,
    }));

    const fixes = [];
    const removable = ignored.filter((i) => i.option.file === s.file && i.option.removeRange);
    if (removable.length === ignored.length) {
      fixes.push({
        title: `Remove ${ignored.map((i) => i.key).join(', ')} (${service.name} decides)`,
        edits: mergeDeletions(removable.map((i) => i.option.removeRange as Range)),
        preferred: true,
      });
    }
    // Without service the written host is used; without a host that would be localhost.
    const host = def.options.get('host');
    if (s.removeRange && host && (host.value !== undefined || host.env)) {
      fixes.push({ title: `Remove service (use the host, port and secure written here)`, edits: [{ range: s.removeRange, newText: '' }] });
    }
    const goes = `${service.host ?? t.host.value ?? 'localhost'}:${service.port ?? t.port.value ?? '?'}`;
    report({
      option: 'service',
      message: `${name} overrides ${list} (mail goes to ${goes}); remove ${ignored.length === 1 ? 'it' : 'them'}, or remove service.`,
      related,
      fixes: fixes.length ? fixes : undefined,
    });
  },
};
