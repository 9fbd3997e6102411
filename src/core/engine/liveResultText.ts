// One log line per live result, the same in every front end's log.
import { AUTH_CHECK_LABELS } from '../live/mailAuth/labels';
import type { LiveResult } from '../live/liveChecks';

/** One log line per result: what, how it ended, how long it took (no banners, no values). */
export function describeLiveResult(r: LiveResult): string {
  switch (r.kind) {
    case 'probe': {
      const p = r.result;
      const steps = Object.entries(p.timings)
        .filter(([step]) => step !== 'total')
        .map(([step, ms]) => `${step} ${Math.round(ms as number)}`)
        .join(', ');
      return `${p.host}:${p.port} ${p.status} in ${Math.round(p.timings.total)} ms${steps ? ` (${steps})` : ''}${p.status !== 'open' && p.detail ? ` — ${p.detail}` : ''}${p.tls?.version ? ` ${p.tls.version}` : ''}`;
    }
    case 'mx':
      return `MX ${r.result.domain} ${r.result.status} in ${Math.round(r.result.ms)} ms${r.result.hosts.length ? ` (${r.result.hosts.map((h) => h.exchange).join(', ')})` : r.result.error ? ` — ${r.result.error}` : ''}`;
    case 'ptr':
      return `PTR ${r.result.address} ${r.result.status} in ${Math.round(r.result.ms)} ms${r.result.error ? ` — ${r.result.error}` : ''}`;
    case 'outbound25':
      return `outbound port 25 via ${r.result.host}: ${r.result.verdict}`;
    case 'auth':
      return `${AUTH_CHECK_LABELS[r.result.check]} ${r.result.subject}: ${r.result.error ? `not checked — ${r.result.error}` : `${r.result.problems.length} problem(s)`} in ${Math.round(r.result.ms)} ms`;
    case 'tls-scan':
      return `TLS scan ${r.result.host}:${r.result.port}: ${r.result.error ? `not scanned — ${r.result.error}` : r.result.versions.filter((v) => v.accepted).map((v) => v.version).join(', ') || 'no version'} in ${r.result.ms} ms`;
    case 'relay':
      return `relay test ${r.result.host}:${r.result.port}: ${r.result.verdict} (${r.result.attempts.filter((a) => a.accepted).length} of ${r.result.attempts.length} accepted) in ${r.result.ms} ms`;
    case 'resolver':
      return `DNS servers ${r.result.servers.join(', ') || '(none)'}: ${r.result.status}${r.result.error ? ` (${r.result.error})` : ''} in ${Math.round(r.result.ms)} ms`;
  }
}
