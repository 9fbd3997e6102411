// smtp-doctor check: lint the mail configs under the given paths, then check live what they name.
import * as fs from 'fs';
import * as path from 'path';
import { mayHoldAppTransport } from '../../core/appLint';
import { checkFiles } from '../../core/check';
import { configKindOfPath } from '../../core/discover';
import { collectConfigFiles, findProjectFile } from '../../core/fileWalk';
import { applySeverityOverrides, compareFindings } from '../../core/model';
import { runLiveChecks } from '../../core/net/liveChecks';
import { collectLiveTargets } from '../../core/net/liveTargets';
import type { RelayTestScope } from '../../core/net/serverChecks';
import { PROJECT_FILE_NAMES, type ProjectConfig, parseProjectConfig } from '../../core/projectConfig';
import { formatJson } from '../../core/report/json';
import { formatLiveText } from '../../core/report/liveText';
import { toReported, toReportedEndpoint } from '../../core/report/reportInput';
import { formatSarif } from '../../core/report/sarif';
import { formatText } from '../../core/report/text';
import { allRuleMetas } from '../../core/rules';
import { applySuppressions } from '../../core/suppressions';
import { version } from '../../../package.json';
import { formatOption, InputError, type Io, type NetOptions, netOption, UsageError } from '../args';

export async function check(args: readonly string[], io: Io): Promise<number> {
  let format = 'text';
  let offline = false;
  const net: NetOptions = { dns: [] };
  const disabled: Record<string, 'off'> = {};
  const paths: string[] = [];
  let configFile: string | undefined;
  let useProjectFile = true;
  let relayTest: RelayTestScope = 'off';
  let mxPort: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const used = netOption(args, i, net, 'check');
    const f = used ? undefined : formatOption(args, i);
    if (used) i += used - 1;
    else if (f) {
      format = f.format;
      i += f.used - 1;
    } else if (a === '--disable') disabled[args[++i] ?? ''] = 'off';
    else if (a === '--config') configFile = args[++i] || undefined;
    else if (a === '--no-config') useProjectFile = false;
    else if (a === '--offline') offline = true;
    else if (a === '--relay-test' || a.startsWith('--relay-test=')) relayTest = relayTestScope(a);
    else if (a === '--mx-port' || a.startsWith('--mx-port=')) {
      const value = a === '--mx-port' ? args[++i] : a.slice('--mx-port='.length);
      mxPort = Number(value);
      if (!Number.isInteger(mxPort) || mxPort < 1 || mxPort > 65535) throw new UsageError(`--mx-port takes a port number, not "${value ?? ''}"`, 'check');
    }
    else if (a.startsWith('-')) throw new UsageError(`unknown option "${a}"`, 'check');
    else paths.push(a);
  }
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`, 'check');
  const inputs = (paths.length ? paths : ['.']).map((p) => path.resolve(io.cwd, p));
  const { files, missing } = collectConfigFiles(inputs);
  if (missing.length) throw new UsageError(`no such file or folder: ${missing.map((m) => path.relative(io.cwd, m) || '.').join(', ')}`, 'check');

  // The project file's severities first, then --disable on top; its own problems are findings too.
  const projectPath = configFile ? path.resolve(io.cwd, configFile) : useProjectFile ? findProjectFile(inputs, PROJECT_FILE_NAMES) : undefined;
  const project = projectPath ? readProjectFile(projectPath, configFile ?? projectPath) : undefined;
  const overrides = { ...project?.rules, ...disabled };

  const result = checkFiles(files);
  const live = offline
    ? undefined
    : await runLiveChecks(collectLiveTargets(result.postfixInstances, result.endpoints, result.transports, result.dkimSelectors), {
        stepTimeoutMs: net.timeoutMs,
        dnsServers: net.dns.length ? net.dns : undefined,
        concurrency: net.concurrency,
        ehloName: net.ehlo,
        referenceHosts: net.probeHosts,
        dnsblZones: net.dnsbl,
        relayTest,
        mxPort,
      });
  const texts = new Map(files.map((f) => [f.file, f.text]));
  const all = [...(project?.findings ?? []), ...result.findings, ...(live?.findings ?? [])];
  const findings = applySeverityOverrides(applySuppressions(all, (file) => texts.get(file)), overrides).sort(compareFindings);
  const display = (file: string) => path.relative(io.cwd, file) || path.basename(file);
  const reported = findings.map((f) => toReported(f, display));
  const endpoints = result.endpoints.map((e) => toReportedEndpoint(e, display));
  // Files that were really read as configuration (most scanned scripts are dropped by the sniff).
  const checked = files.filter((f) => configKindOfPath(f.file) || mayHoldAppTransport(f.file, f.text));
  if (format === 'json') io.out(formatJson(reported, endpoints, live && { probes: live.probes, mx: live.mx, ptr: live.ptr, outbound25: live.outbound25, auth: live.auth, tlsScans: live.tlsScans ?? [], relayTests: live.relayTests ?? [] }));
  else if (format === 'sarif') io.out(formatSarif(reported, allRuleMetas(), version));
  else io.out(formatText(reported, checked.length, endpoints, live && formatLiveText(live)));
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/** `--relay-test`: the servers the workspace configures; `--relay-test=all`: also every other MX host. */
function relayTestScope(arg: string): RelayTestScope {
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : 'workspace';
  if (value === 'workspace' || value === 'all') return value;
  throw new UsageError(`--relay-test takes no value or =all, not "${value}"`, 'check');
}

/** The project file (.smtpdoctor.yaml), parsed; one the user named must exist. */
function readProjectFile(file: string, shown: string): ProjectConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`cannot read the project file "${shown}"`);
  }
  return parseProjectConfig({ file, text }, allRuleMetas().map((r) => r.id));
}
