// The CLI's usage texts: one per command (`smtp-doctor COMMAND --help`), and all of them for `--help`.

export const COMMAND_USAGE = {
  check: `  smtp-doctor check [PATH...] [--format text|json|sarif] [--disable RULE]... [--offline]
                    [--timeout MS] [--dns HOST:PORT]... [--concurrency N] [--ehlo NAME]
                    [--probe-hosts HOST,...] [--dnsbl ZONE,...|none] [--relay-test[=all]]
                    [--mx-port PORT] [--config FILE | --no-config]
                    [--exclude GLOB]... [--verbose] [--postfix-version X.Y]
      Lint the mail configs in PATHs (files or folders; default: .), then check live the hosts
      and domains they name (SMTP ports, STARTTLS and certificates, TLS versions and ciphers, port
      25 of every MX host, MX, PTR, SPF, DMARC, MTA-STS, TLS-RPT, DANE, DKIM, blocklists);
      --offline skips that. --concurrency caps the live checks running at once (default 32).
      --relay-test also tests the servers the configs define for an open relay (MAIL FROM and
      RCPT TO, then RSET; never DATA); =all tests every MX host of the checked domains too.
      --mx-port probes MX hosts on PORT instead of 25 (test setups, port-forwarded servers).
      Rule severities come from .smtpdoctor.yaml (in the first PATH's folder or above, or
      --config FILE); "# smtp-doctor-disable-next-line RULE" comments suppress findings in place.
      Folders honour .gitignore and .ignore; --exclude (and exclude: in .smtpdoctor.yaml) leaves
      out more. Errors in tests, fixtures and examples are reported as warnings.
      --postfix-version: the Postfix release the configs are for (else postfix.version in the
      project file, else what the files need at least, else the newest release).
      Each finding is one line; --verbose (-v) adds its explanation and the other places involved.
      Exit 0: no errors; 1: an error-severity finding; 2: bad usage.
`,
  port: `  smtp-doctor port HOST[:PORT] [--port 25,587,465] [--format text|json] [--timeout MS]
                   [--concurrency N] [--dns HOST:PORT]... [--ehlo NAME] [--probe-hosts HOST,...]
                   [--verbose]
      Probe SMTP on HOST (the given port, or --port's list, or 25, 587 and 465) and print every
      fact found. Every port is probed at once (each is its own service on the server);
      --concurrency N probes at most N at a time. When port 25 times out, probe 25 on
      independent MX hosts (--probe-hosts) to tell whether this network blocks outbound 25.
      Exit 0: every probe passed; 1: a probe failed; 2: bad usage.
`,
  show: `  smtp-doctor show FILE [--postfix-version X.Y]
      Print main.cf parameters as \`postconf -n\` would (master.cf: as \`postconf -M\`); names the
      given release does not know are left out, as its postconf does. Exit 1 where Postfix refuses the file.
`,
  rules: `  smtp-doctor rules
      List every rule with its default severity.
`,
  verify: `  smtp-doctor verify FILE:LINE [--format text|json] [--timeout MS] [--dns HOST:PORT]...
      Log in as the transport or relayhost defined at FILE:LINE would: connect in its TLS mode,
      authenticate with the account the workspace configures, print the server's answer (235
      accepted, 535 rejected, mechanism not offered, AUTH before STARTTLS refused), QUIT. No
      mail is sent; the password is never printed, and never sent without TLS (except to loopback).
      Exit 0: the login was accepted; 1: it was not; 2: bad usage or no login at that line.
`,
} as const;

export type CommandName = keyof typeof COMMAND_USAGE;

export function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.prototype.hasOwnProperty.call(COMMAND_USAGE, name);
}

/** The usage of one command, or of all of them. */
export function usage(command?: CommandName): string {
  const body = command ? COMMAND_USAGE[command] : Object.values(COMMAND_USAGE).join('');
  const tail = command ? '' : '  smtp-doctor help [COMMAND] | COMMAND --help | --version\n';
  return `Usage:\n${body}${tail}`;
}
