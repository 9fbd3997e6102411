// docker-compose services that load .env files: `env_file: .env.mail` / `env_file: [a.env, b.env]` /
// `env_file: [{path: a.env, required: false}]`. The files' SMTP settings become the service's, written
// where the files write them; `environment:` entries win over them, as in compose.
import { isMap, isScalar, isSeq } from 'yaml';
import type { Range } from '../../model';
import type { EnvFile } from './envFiles';
import { envFileSettings } from './extractFromEnvFile';
import { resolveRelative } from './relativePath';
import { type YamlSetting, listSettings, mapSettings, pushFamilies } from './yamlEnvFamilies';
import { type Entry, type ReadContext, deref, entriesOf, rangeOfNode } from './yamlNodes';

export function composeServiceWithEnvFiles(entries: readonly Entry[], path: readonly string[], ctx: ReadContext): void {
  const ref = entries.find((e) => e.key === 'env_file');
  if (!ref?.value) return;
  const files: { file: EnvFile; span: Range }[] = [];
  for (const raw of isSeq(ref.value) ? ref.value.items : [ref.value]) {
    let item = deref(raw, ctx.doc);
    if (isMap(item)) item = entriesOf(item, ctx).find((e) => e.key === 'path')?.value ?? null;
    if (!isScalar(item) || typeof item.value !== 'string') continue;
    const target = resolveRelative(ctx.source.file, item.value);
    const file = target === undefined ? undefined : ctx.env.fileAt(target);
    if (file) files.push({ file, span: rangeOfNode(item, ctx) });
  }
  if (!files.length) return;
  const envEntry = entries.find((e) => e.key === 'environment');
  const environment = envEntry?.value;
  const envPath = [...path, 'environment'];
  const own = isMap(environment) ? mapSettings(entriesOf(environment, ctx), envPath, ctx) : isSeq(environment) ? listSettings(environment.items, envPath, ctx) : [];
  // Later files win over earlier ones, and `environment:` over every file (a variable passed through
  // from a shell that no .env file sets leaves the file's value: that is what the service most likely gets).
  const byName = new Map<string, YamlSetting>();
  for (const { file, span } of files) for (const s of envFileSettings(file)) byName.set(s.name, { ...s, span });
  const kept = own.filter((s) => !(s.passThrough && s.value === undefined && byName.has(s.name)));
  for (const s of kept) byName.delete(s.name);
  if (environment && (isMap(environment) || isSeq(environment))) ctx.handled.add(environment);
  pushFamilies([...byName.values(), ...kept], ctx, files.map((f) => f.file.file));
}
