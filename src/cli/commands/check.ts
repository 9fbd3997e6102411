// smtp-doctor check: lint the mail configs under the given paths, then check live what they name.
import { basename, relative, resolve } from 'path';
import { MAX_APP_FILE_BYTES } from '../../core/check';
import { diskModuleLoader, findProjectFile, readCandidate, readTextFile, readWholeFile, scanWorkspace } from '../../core/fileWalk';
import { Workspace } from '../../core/engine/workspace';
import { releaseProblem } from '../../core/sources/postfix/postfixVersion';
import { LiveSession } from '../../core/engine/liveSession';
import { liveTargetsOf } from '../../core/engine/workspaceLiveTargets';
import type { LiveCheckReport } from '../../core/live/liveChecks';
import { readSystemResolvers } from '../../core/node/systemResolvers';
import type { RelayTestScope } from '../../core/live/serverChecks';
import { PROJECT_FILE_NAMES, type ProjectConfig, parseProjectConfig } from '../../core/projectConfig';
import { formatJson } from '../../core/report/json';
import { buildReport } from '../../core/report/report';
import { formatSarif } from '../../core/report/sarif';
import { formatText } from '../../core/report/text';
import { allRuleMetas } from '../../core/rules';
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
  const excludes: string[] = [];
  let verbose = false;
  let postfixVersion: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const used = netOption(args, i, net, 'check');
    const f = used ? undefined : formatOption(args, i);
    if (used) i += used - 1;
    else if (f) {
      format = f.format;
      i += f.used - 1;
    } else if (a === '--postfix-version' || a.startsWith('--postfix-version=')) {
      postfixVersion = a === '--postfix-version' ? (args[++i] ?? '') : a.slice('--postfix-version='.length);
      const problem = releaseProblem(postfixVersion);
      if (problem) throw new UsageError(`--postfix-version: ${problem}`, 'check');
    } else if (a === '--disable') disabled[args[++i] ?? ''] = 'off';
    else if (a === '--config') configFile = args[++i] || undefined;
    else if (a === '--no-config') useProjectFile = false;
    else if (a === '--exclude' || a.startsWith('--exclude=')) {
      const glob = a === '--exclude' ? args[++i] : a.slice('--exclude='.length);
      if (!glob) throw new UsageError('--exclude takes a glob, e.g. --exclude "legacy/**"', 'check');
      excludes.push(glob);
    } else if (a === '--offline') offline = true;
    else if (a === '--verbose' || a === '-v') verbose = true;
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
  const inputs = (paths.length ? paths : ['.']).map((p) => resolve(io.cwd, p));

  // The project file's severities first, then --disable on top; its own problems are findings too (the Workspace applies both).
  const projectPath = configFile ? resolve(io.cwd, configFile) : useProjectFile ? findProjectFile(inputs, PROJECT_FILE_NAMES) : undefined;
  const project = projectPath ? readProjectFile(projectPath, configFile ?? projectPath) : undefined;

  // Streamed: scripts and JSON/YAML files are read, checked and dropped one at a time.
  const scan = scanWorkspace(inputs, { exclude: [...(project?.exclude ?? []), ...excludes] });
  if (scan.missing.length) throw new UsageError(`no such file or folder: ${scan.missing.map((m) => relative(io.cwd, m) || '.').join(', ')}`, 'check');
  // Where the command line names no release, the project file's applies (the Workspace knows it).
  const target = postfixVersion ? { version: postfixVersion, why: `--postfix-version ${postfixVersion}` } : undefined;
  // Texts are read again only where needed: suppression comments in files with findings, and the lines
  // live findings land on (files over the size limit were not checked, and are not read again either).
  const texts = new Map<string, string | undefined>();
  const textOf = (file: string) => (texts.has(file) ? texts.get(file) : (texts.set(file, readTextFile(file)), texts.get(file)));
  const workspace = new Workspace();
  workspace.setProjectConfig(project);
  // Tests, fixtures and examples: at most warnings (relative to the folders checked).
  workspace.setSettings({ severityOverrides: disabled, postfixRelease: target, relativePath: (file) => scan.relative.get(file), moduleLoader: diskModuleLoader, readText: textOf });
  const result = workspace.checkStreamed(scan.eager, scan.candidates, (file, sniff) => readCandidate(file, MAX_APP_FILE_BYTES, sniff));
  let live: LiveCheckReport | undefined;
  if (!offline) {
    const session = new LiveSession({
      settings: {
        stepTimeoutMs: net.timeoutMs,
        dnsServers: net.dns.length ? net.dns : undefined,
        dnsSetting: '--dns',
        concurrency: net.concurrency,
        ehloName: net.ehlo,
        referenceHosts: net.probeHosts,
        dnsblZones: net.dnsbl,
        relayTest,
        mxPort,
      },
      systemDnsServers: readSystemResolvers,
    });
    await session.run(liveTargetsOf(result, textOf));
    live = session.report();
  }
  const findings = [...result.findings, ...workspace.applyPolicy(live?.findings ?? [])];
  const report = buildReport({ findings, endpoints: result.endpoints, checkedFiles: result.checkedFiles, live, displayPath: (file) => relative(io.cwd, file) || basename(file) });
  if (format === 'json') io.out(formatJson(report));
  else if (format === 'sarif') io.out(formatSarif(report, allRuleMetas(), version));
  else io.out(formatText(report, { verbose }));
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
  const text = readWholeFile(file);
  if (text === undefined) throw new InputError(`cannot read the project file "${shown}"`);
  return parseProjectConfig({ file, text }, allRuleMetas().map((r) => r.id));
}
