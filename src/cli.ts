// smtp-doctor: the command-line face of the engine (for CI and terminals).
import * as fs from 'fs';
import * as path from 'path';
import { mayHoldAppTransport } from './core/appLint';
import { checkFiles } from './core/check';
import { collectConfigFiles } from './core/fileWalk';
import { applySeverityOverrides, compareFindings } from './core/model';
import { parsePostfixInstance } from './core/postfix/instance';
import { parseMasterCf } from './core/postfix/masterCf';
import { showMainCf, showMasterCf } from './core/postfix/show';
import { formatJson } from './core/report/json';
import { toReported, toReportedEndpoint } from './core/report/reportInput';
import { formatSarif } from './core/report/sarif';
import { formatText } from './core/report/text';
import { allRuleMetas } from './core/rules';
import { configKindOfPath } from './core/discover';
import { version } from '../package.json';

const USAGE = `Usage:
  smtp-doctor check [PATH...] [--format text|json|sarif] [--disable RULE]...
      Lint the mail configs in PATHs (files or folders; default: .).
      Exit 0: no errors; 1: an error-severity finding; 2: bad usage.
  smtp-doctor show FILE
      Print main.cf parameters as \`postconf -n\` would (master.cf: as \`postconf -M\`).
  smtp-doctor rules
      List every rule with its default severity.
  smtp-doctor --help | --version
`;

class UsageError extends Error {}

interface Io {
  out(s: string): void;
  err(s: string): void;
  cwd: string;
}

export function main(argv: readonly string[], io: Io): number {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'check':
        return check(rest, io);
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
    throw e;
  }
}

function check(args: readonly string[], io: Io): number {
  let format = 'text';
  const disabled: Record<string, 'off'> = {};
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--format' || a === '-f') format = args[++i] ?? '';
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (a === '--disable') disabled[args[++i] ?? ''] = 'off';
    else if (a.startsWith('-')) throw new UsageError(`unknown option "${a}"`);
    else paths.push(a);
  }
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  const inputs = (paths.length ? paths : ['.']).map((p) => path.resolve(io.cwd, p));
  const { files, missing } = collectConfigFiles(inputs);
  if (missing.length) throw new UsageError(`no such file or folder: ${missing.map((m) => path.relative(io.cwd, m) || '.').join(', ')}`);

  const result = checkFiles(files);
  const findings = applySeverityOverrides(result.findings, disabled).sort(compareFindings);
  const display = (file: string) => path.relative(io.cwd, file) || path.basename(file);
  const reported = findings.map((f) => toReported(f, display));
  const endpoints = result.endpoints.map((e) => toReportedEndpoint(e, display));
  // Files that were really read as configuration (most scanned scripts are dropped by the sniff).
  const checked = files.filter((f) => configKindOfPath(f.file) || mayHoldAppTransport(f.file, f.text));
  if (format === 'json') io.out(formatJson(reported, endpoints));
  else if (format === 'sarif') io.out(formatSarif(reported, allRuleMetas(), version));
  else io.out(formatText(reported, checked.length, endpoints));
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

function show(args: readonly string[], io: Io): number {
  if (args.length !== 1) throw new UsageError('show takes exactly one FILE');
  const file = path.resolve(io.cwd, args[0]);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read "${args[0]}"`);
  }
  if (configKindOfPath(file) === 'postfix-master') {
    io.out(showMasterCf(parseMasterCf({ file, text })));
    return 0;
  }
  // Like postconf -n, leave out names Postfix would call "unused" (which needs the sibling master.cf).
  const masterPath = path.join(path.dirname(file), 'master.cf');
  const master = fs.existsSync(masterPath) ? { file: masterPath, text: fs.readFileSync(masterPath, 'utf8') } : undefined;
  const instance = parsePostfixInstance({ main: { file, text }, master });
  io.out(showMainCf(instance.main!, (name) => instance.isUsedParameter(name)));
  return 0;
}

if (require.main === module) {
  const code = main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    cwd: process.cwd(),
  });
  process.exitCode = code;
}
