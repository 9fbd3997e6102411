// smtp-doctor: the command-line face of the engine (for CI and terminals).
import * as fs from 'fs';
import * as path from 'path';
import { mayHoldAppTransport } from './core/appLint';
import { checkFiles } from './core/check';
import { collectConfigFiles, findProjectFile } from './core/fileWalk';
import { applySeverityOverrides, compareFindings } from './core/model';
import { parsePostfixInstance } from './core/postfix/instance';
import { parseMasterCf } from './core/postfix/masterCf';
import { mainCfRefusal, masterCfRefusal, showMainCf, showMasterCf } from './core/postfix/show';
import { formatJson } from './core/report/json';
import { toReported, toReportedEndpoint } from './core/report/reportInput';
import { formatSarif } from './core/report/sarif';
import { formatText } from './core/report/text';
import { allRuleMetas } from './core/rules';
import { configKindOfPath, unreadableReason } from './core/discover';
import { releaseProblem } from './core/postfix/postfixVersion';
import { SKIPPED_FILE_RULE } from './core/workspaceLint';
import { runLiveChecks } from './core/net/liveChecks';
import { collectLiveTargets } from './core/net/liveTargets';
import { formatLiveText } from './core/report/liveText';
import { redactStrings } from './core/redact';
import { PROJECT_FILE_NAMES, type ProjectConfig, parseProjectConfig } from './core/projectConfig';
import { applySuppressions } from './core/suppressions';
import { version } from '../package.json';

const USAGE = `Usage:
  smtp-doctor check [PATH...] [--format text|json|sarif] [--disable RULE]... [--offline]
                    [--timeout MS] [--dns HOST:PORT]... [--concurrency N] [--ehlo NAME]
                    [--probe-hosts HOST,...] [--dnsbl ZONE,...|none] [--config FILE | --no-config]
                    [--postfix-version X.Y]
      Lint the mail configs in PATHs (files or folders; default: .), then check live the hosts
      and domains they name (SMTP ports, STARTTLS and certificates, MX, PTR, SPF, DMARC, MTA-STS,
      TLS-RPT, DANE, DKIM, blocklists); --offline skips that.
      Rule severities come from .smtpdoctor.yaml (in the first PATH's folder or above, or
      --config FILE); "# smtp-doctor-disable-next-line RULE" comments suppress findings in place.
      --postfix-version: the Postfix release the configs are for (else postfix.version in the
      project file, else what the files need at least, else the newest release).
      Exit 0: no errors; 1: an error-severity finding; 2: bad usage.
  smtp-doctor port HOST[:PORT] [--port 25,587,465] [--format text|json] [--timeout MS]
                   [--dns HOST:PORT]... [--ehlo NAME] [--probe-hosts HOST,...]
      Probe SMTP on HOST (the given port, or 25, 587 and 465) and print every fact found. When
      port 25 times out, probe 25 on independent MX hosts (--probe-hosts) to tell whether this
      network blocks outbound 25.
  smtp-doctor show FILE [--postfix-version X.Y]
      Print main.cf parameters as \`postconf -n\` would (master.cf: as \`postconf -M\`); names the
      given release does not know are left out, as its postconf does. Exit 1 where Postfix refuses the file.
  smtp-doctor rules
      List every rule with its default severity.
  smtp-doctor --help | --version
`;

class UsageError extends Error {}
/** A file the command cannot use (missing, too large, binary): said in one line, exit 2, no usage text. */
class InputError extends Error {}

interface Io {
  out(s: string): void;
  err(s: string): void;
  cwd: string;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'check':
        return await check(rest, io);
      case 'port':
        return await port(rest, io);
      case 'show':
        return show(rest, io);
      case 'rules':
        for (const r of allRuleMetas()) io.out(`${r.id.padEnd(34)} ${r.defaultSeverity.padEnd(11)} ${r.description}\n`);
        return 0;
      case '--version':
      case '-v':
        io.out(`${version}\n`);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        io.out(USAGE);
        return 0;
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`smtp-doctor: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof InputError) {
      io.err(`smtp-doctor: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/** Options shared by the commands that touch the network. */
interface NetOptions {
  timeoutMs?: number;
  dns: string[];
  concurrency?: number;
  ehlo?: string;
  /** Independent MX hosts probed on 25 to tell a filtered host from a network that blocks 25. */
  probeHosts?: string[];
  /** DNSBL zones for the blocklist check ([] with --dnsbl none). */
  dnsbl?: string[];
}

/** Consumes a network option at args[i]; returns how many arguments it used (0 if not one). */
function netOption(args: readonly string[], i: number, net: NetOptions): number {
  const [flag, inline] = args[i].includes('=') ? [args[i].slice(0, args[i].indexOf('=')), args[i].slice(args[i].indexOf('=') + 1)] : [args[i], undefined];
  const value = inline ?? args[i + 1];
  const used = inline === undefined ? 2 : 1;
  const positive = (what: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${what} takes a positive whole number, not "${value ?? ''}"`);
    return n;
  };
  switch (flag) {
    case '--timeout':
      net.timeoutMs = positive('--timeout');
      return used;
    case '--concurrency':
      net.concurrency = positive('--concurrency');
      return used;
    case '--dns':
      if (!value || !/^[^\s:]+(:\d+)?$|^\[[0-9a-f:.]+\](:\d+)?$/i.test(value)) throw new UsageError(`--dns takes HOST[:PORT], not "${value ?? ''}"`);
      net.dns.push(value);
      return used;
    case '--ehlo':
      if (!value) throw new UsageError('--ehlo takes a name');
      net.ehlo = value;
      return used;
    case '--dnsbl':
      if (!value) throw new UsageError('--dnsbl takes ZONE[,ZONE...] or none');
      net.dnsbl = value === 'none' ? [] : value.split(',').map((z) => z.trim()).filter(Boolean);
      return used;
    case '--probe-hosts':
      if (!value) throw new UsageError('--probe-hosts takes HOST[,HOST...]');
      net.probeHosts = value.split(',').map((h) => h.trim()).filter(Boolean);
      return used;
  }
  return 0;
}

async function check(args: readonly string[], io: Io): Promise<number> {
  let format = 'text';
  let offline = false;
  const net: NetOptions = { dns: [] };
  const disabled: Record<string, 'off'> = {};
  const paths: string[] = [];
  let configFile: string | undefined;
  let useProjectFile = true;
  let postfixVersion: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const used = netOption(args, i, net);
    if (used) i += used - 1;
    else if (a === '--postfix-version' || a.startsWith('--postfix-version=')) {
      postfixVersion = a === '--postfix-version' ? (args[++i] ?? '') : a.slice('--postfix-version='.length);
      const problem = releaseProblem(postfixVersion);
      if (problem) throw new UsageError(`--postfix-version: ${problem}`);
    } else if (a === '--format' || a === '-f') format = args[++i] ?? '';
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (a === '--disable') disabled[args[++i] ?? ''] = 'off';
    else if (a === '--config') configFile = args[++i] || undefined;
    else if (a === '--no-config') useProjectFile = false;
    else if (a === '--offline') offline = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option "${a}"`);
    else paths.push(a);
  }
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  const inputs = (paths.length ? paths : ['.']).map((p) => path.resolve(io.cwd, p));
  const { files, missing } = collectConfigFiles(inputs);
  if (missing.length) throw new UsageError(`no such file or folder: ${missing.map((m) => path.relative(io.cwd, m) || '.').join(', ')}`);

  // The project file's severities first, then --disable on top; its own problems are findings too.
  const projectPath = configFile ? path.resolve(io.cwd, configFile) : useProjectFile ? findProjectFile(inputs, PROJECT_FILE_NAMES) : undefined;
  const project = projectPath ? readProjectFile(projectPath, configFile ?? projectPath) : undefined;
  const overrides = { ...project?.rules, ...disabled };

  const target = postfixVersion
    ? { version: postfixVersion, why: `--postfix-version ${postfixVersion}` }
    : project?.postfixVersion
      ? { version: project.postfixVersion, why: `postfix.version in ${path.basename(projectPath!)}` }
      : undefined;
  const result = checkFiles(files, { postfixVersion: target });
  const live = offline
    ? undefined
    : await runLiveChecks(collectLiveTargets(result.postfixInstances, result.endpoints, result.transports, result.dkimSelectors), {
        stepTimeoutMs: net.timeoutMs,
        dnsServers: net.dns.length ? net.dns : undefined,
        concurrency: net.concurrency,
        ehloName: net.ehlo,
        referenceHosts: net.probeHosts,
        dnsblZones: net.dnsbl,
      });
  const texts = new Map(files.map((f) => [f.file, f.text]));
  const all = [...(project?.findings ?? []), ...result.findings, ...(live?.findings ?? [])];
  const findings = applySeverityOverrides(applySuppressions(all, (file) => texts.get(file)), overrides).sort(compareFindings);
  const display = (file: string) => path.relative(io.cwd, file) || path.basename(file);
  const reported = findings.map((f) => toReported(f, display));
  const endpoints = result.endpoints.map((e) => toReportedEndpoint(e, display));
  // Files that were really read as configuration (most scanned scripts are dropped by the sniff).
  const skipped = new Set(result.findings.filter((f) => f.ruleId === SKIPPED_FILE_RULE.id).map((f) => f.file));
  const checked = files.filter((f) => configKindOfPath(f.file) || mayHoldAppTransport(f.file, f.text) || (f.explicit && !skipped.has(f.file)));
  if (format === 'json') io.out(formatJson(reported, endpoints, live && { probes: live.probes, mx: live.mx, ptr: live.ptr, outbound25: live.outbound25, auth: live.auth }));
  else if (format === 'sarif') io.out(formatSarif(reported, allRuleMetas(), version));
  else io.out(formatText(reported, checked.length, endpoints, live && formatLiveText(live)));
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

async function port(args: readonly string[], io: Io): Promise<number> {
  let format = 'text';
  let ports: number[] | undefined;
  const net: NetOptions = { dns: [] };
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const used = netOption(args, i, net);
    if (used) i += used - 1;
    else if (a === '--format' || a === '-f') format = args[++i] ?? '';
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (a === '--port' || a.startsWith('--port=')) {
      const list = a === '--port' ? args[++i] ?? '' : a.slice('--port='.length);
      ports = list.split(',').map((p) => Number(p.trim()));
      if (ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) throw new UsageError(`--port takes port numbers like 25,587,465, not "${list}"`);
    } else if (a.startsWith('-')) throw new UsageError(`unknown option "${a}"`);
    else targets.push(a);
  }
  if (targets.length !== 1) throw new UsageError('port takes exactly one HOST[:PORT]');
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format must be text or json, not "${format}"`);
  const m = /^(\[[^\]]+\]|[^:\s]+|[0-9a-f:]+)(?::(\d+))?$/i.exec(targets[0]);
  if (!m) throw new UsageError(`"${targets[0]}" is not HOST[:PORT]`);
  const host = m[1].replace(/^\[|\]$/g, '');
  const probePorts = m[2] ? [Number(m[2])] : ports ?? [25, 587, 465];
  const where = { file: '(command line)', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  const live = await runLiveChecks(
    { probes: probePorts.map((p) => ({ host, port: p, locations: [where] })), domains: [], ptrs: [] },
    { stepTimeoutMs: net.timeoutMs, dnsServers: net.dns.length ? net.dns : undefined, ehloName: net.ehlo, referenceHosts: net.probeHosts },
  );
  const probes = probePorts.map((p) => live.probes.find((r) => r.port === p)!).filter(Boolean);
  if (format === 'json') io.out(JSON.stringify({ ...redactStrings({ probes, outbound25: live.outbound25 }), findings: live.findings.map((f) => ({ rule: f.ruleId, severity: f.severity, message: f.message })) }, null, 2) + '\n');
  else {
    io.out(formatLiveText({ ...live, probes }));
    for (const f of live.findings) io.out(`${f.severity}: ${f.message} [${f.ruleId}]\n`);
  }
  return live.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

function show(argv: readonly string[], io: Io): number {
  const args: string[] = [];
  let postfixVersion: { version: string; why: string } | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--postfix-version' || a.startsWith('--postfix-version=')) {
      const v = a === '--postfix-version' ? (argv[++i] ?? '') : a.slice('--postfix-version='.length);
      const problem = releaseProblem(v);
      if (problem) throw new UsageError(`--postfix-version: ${problem}`);
      postfixVersion = { version: v, why: `--postfix-version ${v}` };
    } else args.push(a);
  }
  if (args.length !== 1) throw new UsageError('show takes exactly one FILE');
  const file = path.resolve(io.cwd, args[0]);
  const text = readForShow(file, args[0]);
  if (configKindOfPath(file) === 'postfix-master') {
    const master = parseMasterCf({ file, text }, { plain: true });
    const refused = masterCfRefusal(master);
    if (refused) {
      io.err(`smtp-doctor: ${args[0]}, ${refused}\n`);
      return 1;
    }
    io.out(showMasterCf(master));
    return 0;
  }
  // Like postconf -n, leave out names Postfix would call "unused" (which needs the sibling master.cf).
  const masterPath = path.join(path.dirname(file), 'master.cf');
  const master = fs.existsSync(masterPath) ? { file: masterPath, text: readForShow(masterPath, path.relative(io.cwd, masterPath)) } : undefined;
  const instance = parsePostfixInstance({ main: { file, text }, master, postfixVersion }, { plain: true, assumeStandardServices: false });
  // Like postconf -n, print nothing and fail where Postfix refuses the file (or the master.cf it reads too).
  const refused = mainCfRefusal(instance.main!) ?? (instance.master && masterCfRefusal(instance.master));
  if (refused) {
    io.err(`smtp-doctor: ${args[0]}, ${refused}\n`);
    return 1;
  }
  io.out(showMainCf(instance.main!, (name) => instance.isUsedParameter(name)));
  return 0;
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

/** A file for `show`, refused (before reading it all) when it is too large or binary. */
function readForShow(file: string, shown: string): string {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new InputError(`cannot read "${shown}"`);
  }
  const tooLarge = unreadableReason('', size);
  if (tooLarge) throw new InputError(`${shown}: ${tooLarge}`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`cannot read "${shown}"`);
  }
  const binary = unreadableReason(text);
  if (binary) throw new InputError(`${shown}: ${binary}`);
  return text;
}

if (require.main === module) {
  main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    cwd: process.cwd(),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`smtp-doctor: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 3;
    },
  );
}
