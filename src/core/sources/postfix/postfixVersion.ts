// Which Postfix release a configuration is for, and what that release knows. The target comes from the
// user (setting, .smtpdoctor.yaml, --postfix-version); without one, a floor is inferred from
// compatibility_level and the parameter names the files use; without that, the newest release is assumed.
import { NEWEST_POSTFIX, PARAMETER_VERSIONS } from './versions.generated';

/** [major, minor, patch]; patch is undefined when only a series ("3.7") is known. */
export type Release = readonly [number, number, number | undefined];

export type TargetSource = 'configured' | 'inferred' | 'assumed';

export interface PostfixTarget {
  readonly release: Release;
  /** configured: the user said so; inferred: the files need at least this; assumed: nothing said. */
  readonly source: TargetSource;
  /** What the target was taken from, for messages ("compatibility_level = 3.6", "--postfix-version 3.7"). */
  readonly why: string;
}

const RELEASE = /^(\d+)\.(\d+)(?:\.(\d+))?$/;

export function parseRelease(text: string): Release | undefined {
  const m = RELEASE.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3])] : undefined;
}

export function formatRelease(r: Release): string {
  return r[2] === undefined ? `${r[0]}.${r[1]}` : `${r[0]}.${r[1]}.${r[2]}`;
}

/** Orders releases; a series without a patch level sorts as its newest patch (3.7 > 3.7.9). */
export function compareReleases(a: Release, b: Release): number {
  return a[0] - b[0] || a[1] - b[1] || (a[2] ?? Infinity) - (b[2] ?? Infinity);
}

const sameSeries = (a: Release, b: Release) => a[0] === b[0] && a[1] === b[1];

/**
 * Whether a release has something introduced at `since` ("3.9", or "3.5.23 3.6.13 3.9" for a feature
 * back-ported to older series). A bare series target ("3.7") has it when any patch release of 3.7 does.
 */
export function releaseHas(since: string, target: Release): boolean {
  for (const part of since.split(' ')) {
    const s = parseRelease(part);
    if (!s) continue;
    if (sameSeries(s, target)) return s[2] === undefined || target[2] === undefined || target[2] >= s[2];
  }
  // Not back-ported to the target's series: present when the target is newer than the last listed series.
  const last = parseRelease(since.split(' ').pop() ?? '');
  return last !== undefined && last[2] === undefined && compareReleases([target[0], target[1], 0], [last[0], last[1], 0]) >= 0;
}

/** The oldest release that has `since` (what a file using it needs at least). */
export function firstRelease(since: string): Release | undefined {
  const first = parseRelease(since.split(' ')[0] ?? '');
  return first && [first[0], first[1], first[2] ?? 0];
}

export const NEWEST_RELEASE: Release = parseRelease(NEWEST_POSTFIX)!;

export const ASSUMED_TARGET: PostfixTarget = { release: NEWEST_RELEASE, source: 'assumed', why: `the newest release, ${NEWEST_POSTFIX}` };

/** Why a configured version string is unusable, or undefined when it is fine. */
export function releaseProblem(text: string): string | undefined {
  const r = parseRelease(text);
  if (!r) return `"${text}" is not a Postfix release such as 3.7 or 3.7.11`;
  if (r[0] !== 3 || r[1] < 4 || compareReleases([r[0], r[1], 0], [NEWEST_RELEASE[0], NEWEST_RELEASE[1], 0]) > 0) {
    return `SMTP Doctor knows Postfix 3.4 to ${NEWEST_POSTFIX}, not ${text}`;
  }
  return undefined;
}

/** Whether the target release has parameter `name`; undefined when the tables do not know the name at all. */
export function targetHasParameter(name: string, target: Release): boolean | undefined {
  const row = PARAMETER_VERSIONS.get(name);
  if (!row) return undefined;
  const [since, , removed] = row;
  if (removed) {
    const r = parseRelease(removed);
    if (r && compareReleases(target, r) >= 0 && !(target[2] === undefined && sameSeries(target, r) && r[2] !== 0)) return false;
  }
  return releaseHas(since, target);
}

/**
 * The release a set of files needs at least: compatibility_level 3.6 needs 3.6, a name added in 3.9
 * needs 3.9 (or the first back-port). Undefined when nothing in them needs more than 3.4.
 */
export function inferFloor(compatibilityLevel: string | undefined, names: Iterable<string>): { release: Release; why: string } | undefined {
  let best: { release: Release; why: string } | undefined;
  const consider = (release: Release, why: string) => {
    if (compareReleases(release, [3, 4, 0]) <= 0) return;
    if (!best || compareReleases(release, best.release) > 0) best = { release, why };
  };
  const level = compatibilityLevel === undefined ? undefined : parseRelease(compatibilityLevel.trim());
  if (level && level[0] === 3) consider([3, level[1], 0], `compatibility_level = ${compatibilityLevel!.trim()}`);
  for (const name of names) {
    const row = PARAMETER_VERSIONS.get(name);
    const first = row ? firstRelease(row[0]) : undefined;
    if (first) consider(first, `"${name}" (Postfix ${row![0].split(' ')[0]})`);
  }
  return best;
}
