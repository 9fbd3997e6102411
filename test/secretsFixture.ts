// The passwords of test/fixtures/secrets and the scan for them, shared by the unit sweep
// (test/unit/secretsSweep.test.ts) and the VS Code one (test/integration/stress/2-secrets.test.ts).
import * as assert from 'assert';

/** How a password is written in the fixture. */
export type WrittenForm = 'raw' | 'json' | 'percent' | 'base64' | 'base64-user';

export interface Secret {
  /** The `Sw33p-NN` tag every password starts with: a leak names its source. */
  readonly id: string;
  readonly password: string;
  /** The login that goes with it, when the fixture names one. */
  readonly user?: string;
  /** Fixture file (relative) and the forms it is written in there; each must really occur. */
  readonly file: string;
  readonly written: readonly WrittenForm[];
}

const s = (id: string, password: string, user: string | undefined, file: string, ...written: WrittenForm[]): Secret => ({
  id,
  password,
  user,
  file,
  written: written.length ? written : ['raw'],
});

/** Every password in test/fixtures/secrets, with where it is and how it is written. */
export const SECRETS: readonly Secret[] = [
  s('Sw33p-01', 'Sw33p-01-pfInline-Kq4', 'relayuser', 'postfix/main.cf'), // smtp_sasl_password_maps = inline:{ ... }
  s('Sw33p-02', 'Sw33p-02-pfStatic-Wm8', 'lmtpuser', 'postfix/main.cf'), // lmtp_sasl_password_maps = static:...
  s('Sw33p-03', 'Sw33p-03-pfRelayhost-Jd2', 'relayuser', 'postfix-creds/main.cf'), // relayhost = [user:pass@host]:587
  s('Sw33p-04', 'Sw33p-04-pfUserParam-Xb6', 'relayuser', 'postfix-creds/main.cf'), // relay_secret = ..., used as $relay_secret
  s('Sw33p-05', 'Sw33p-05-pfComment-Tn3', 'relayuser', 'postfix/main.cf'), // a comment
  s('Sw33p-06', 'Sw33p-06-pfTypoName-Hc9', 'typo', 'postfix/main.cf'), // smtp_sasl_pasword_maps (typo: not a secret name)
  s('Sw33p-07', 'Sw33p-07-pfPasted-Lb5', 'relayuser', 'postfix/main.cf'), // a sasl_passwd line pasted into main.cf
  s('Sw33p-08', 'Sw33p-08-mcStatic-Rv5', 'submituser', 'postfix/master.cf'), // -o smtp_sasl_password_maps=static:...
  s('Sw33p-09', 'Sw33p-09-mcCommented-Pz7', 'old', 'postfix/master.cf'), // a commented-out -o
  s('Sw33p-10', 'Sw33p-10-mcBraced-Gy1', 'user2', 'postfix/master.cf'), // -o { name = inline:{ ... } }
  s('Sw33p-11', 'Sw33p-11-mcOpenBrace-Qa8', 'brace', 'postfix/master.cf'), // -o {name=... with no closing brace
  s('Sw33p-12', 'Sw33p-12-jsLiteral-Fa2', 'shop@example.com', 'app/src/mailer.js', 'raw', 'base64-user'), // auth.pass literal + Basic header
  s('Sw33p-13', 'Sw33p-13-tsConst-Lh8', 'billing@example.org', 'app/src/mailer.ts'), // const SMTP_PASSWORD
  s('Sw33p-14', 'Sw33p-14-tsTemplateUrl-Nc3', 'reports', 'app/src/mailer.ts'), // `smtp://user:pass@host` template
  s('Sw33p-15', 'Sw33p-15/enc:od@ed#Vx9', 'alerts@example.org', 'app/src/mailer.ts', 'percent'), // smtps:// percent-encoded
  s('Sw33p-16', 'Sw33p-16-urlUser-Bd4', 'queue', 'app/src/mailer.ts'), // smtps://user:pass@ with a query
  s('Sw33p-17', 'Sw33p-17-queryOnly-Mw6', undefined, 'app/src/mailer.ts'), // only in the query: ?pass=
  s('Sw33p-18', 'Sw33p-18-raw/slash-Uo3', 'ops', 'app/src/mailer.ts'), // an unencoded "/" breaks the URL
  s('Sw33p-19', 'Sw33p-19-raw?Qm5Tail19x', 'ops', 'config/mail.json'), // an unencoded "?" breaks the URL
  s('Sw33p-20', 'Sw33p-20-js"on\\back<b>|`tick-Ku7', 'json@example.com', 'config/mail.json', 'json'), // needs escaping everywhere
  s('Sw33p-21', 'Sw33p-21-y"am\\l<b>|p`k-Hs2', 'yaml@example.org', 'config/settings.yml'), // same, in a YAML single-quoted string
  s('Sw33p-22', 'Sw33p-22-laravel-Pf5', 'postmaster@mg.example.com', 'config/mailers.yaml'), // Laravel mailers.smtp.password
  s('Sw33p-23', 'Sw33p-23-composeList-Ct7', 'app', 'deploy/docker-compose.yml'), // environment: - SMTP_PASSWORD=...
  s('Sw33p-24', 'Sw33p-24-composeMap-Dn2', 'worker', 'deploy/docker-compose.yml'), // environment: MAIL_PASSWORD: ...
  s('Sw33p-25', 'Sw33p-25-composeDsn-Ep9', 'relay', 'deploy/docker-compose.yml'), // MAILER_DSN=smtp://user:pass@...
  s('Sw33p-26', 'Sw33p-26-k8sValue-Fr3', 'k8s', 'deploy/k8s/deployment.yaml'), // env: - name: SMTP_PASS / value:
  s('Sw33p-27', 'Sw33p-27-k8sSecret-Zt4', undefined, 'deploy/k8s/deployment.yaml', 'raw', 'base64'), // Secret stringData + data
  s('Sw33p-28', 'Sw33p-28-dotenv-Gs6', 'app@example.com', 'app/.env'), // SMTP_PASS=
  s('Sw33p-29', 'Sw33p-29-envQueryOnly-Ht4', undefined, 'app/.env'), // MAILER_URL=...?password=
  s('Sw33p-30', 'Sw33p-30 dj ango Iu8', 'django', 'app/.env'), // EMAIL_HOST_PASSWORD='with spaces'
  s('Sw33p-31', 'Sw33p-31-envLocal#Jv5', 'laravel', 'app/.env.local'), // MAIL_PASSWORD="...#..."
  s('Sw33p-32', 'Sw33p-32-envUrl-Kw1', 'app', 'app/.env.local'), // SMTP_URL=smtps://user:pass@...
  s('Sw33p-33', 'Sw33p-33-jsPort25-Nk2', 'news@example.net', 'app/src/mailer.js'), // port 25, ignoreTLS, tls off
  s('Sw33p-34', 'Sw33p-34-badPort-Wq3', 'legacy', 'config/mail.json'), // smtp://user:pass@host:58x7 (invalid port)
];

// ---------- Forms of a secret, and the scan ----------

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export function writtenForm(secret: Secret, form: WrittenForm): string {
  switch (form) {
    case 'raw':
      return secret.password;
    case 'json':
      return JSON.stringify(secret.password).slice(1, -1);
    case 'percent':
      return encodeURIComponent(secret.password);
    case 'base64':
      return b64(secret.password);
    case 'base64-user':
      return b64(`${secret.user}:${secret.password}`);
  }
}

export interface Needle {
  readonly form: string;
  readonly text: string;
}

const PIECE = 10;

/** Every form the password could take in an output, longest first (so a report names the whole form). */
export function needlesOf(secret: Secret): Needle[] {
  const p = secret.password;
  const whole: Needle[] = [
    { form: 'raw', text: p },
    { form: 'JSON-escaped', text: JSON.stringify(p).slice(1, -1) },
    { form: 'percent-encoded', text: encodeURIComponent(p) },
    { form: 'form-encoded', text: new URLSearchParams({ x: p }).toString().slice(2) },
    { form: 'base64', text: b64(p) },
  ];
  if (secret.user !== undefined) {
    whole.push({ form: 'base64 of user:password', text: b64(`${secret.user}:${p}`) });
    whole.push({ form: 'base64 of AUTH PLAIN', text: b64(`\u0000${secret.user}\u0000${p}`) });
  }
  const pieces: Needle[] = [];
  for (const n of whole.slice(0, 4)) {
    for (let i = 0; i + PIECE <= n.text.length; i++) pieces.push({ form: `${n.form} piece "${n.text.slice(i, i + PIECE)}"`, text: n.text.slice(i, i + PIECE) });
  }
  const seen = new Set<string>();
  return [...whole, ...pieces].filter((n) => !seen.has(n.text) && (seen.add(n.text), true));
}

const NEEDLES = new Map(SECRETS.map((x) => [x, needlesOf(x)]));

/** The output as written, and as read after Markdown/JSON backslash escapes and HTML entities are undone. */
function views(text: string): string[] {
  const unescaped = text.replace(/\\([\s\S])/g, '$1');
  const entities = unescaped.replace(/&(lt|gt|amp|quot|#39|#x27);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'", '#x27': "'" })[e] ?? _);
  return [...new Set([text, unescaped, entities])];
}

/** Every leak in `text`: one line per secret found, naming the output, the secret and its form. */
export function leaksIn(output: string, text: string): string[] {
  const all = views(text);
  const out: string[] = [];
  for (const secret of SECRETS) {
    for (const n of NEEDLES.get(secret)!) {
      const hit = all.find((v) => v.includes(n.text));
      if (hit === undefined) continue;
      const at = hit.indexOf(n.text);
      out.push(`${output}: ${secret.id} (${n.form}) in …${hit.slice(Math.max(0, at - 40), at + n.text.length + 20).replace(/\n/g, '⏎')}…`);
      break;
    }
  }
  return out;
}

/** Every string anywhere in a value (object keys included), for outputs that are data, not text. */
export function stringsOf(value: unknown, out: string[] = [], seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object' && !seen.has(value)) {
    seen.add(value);
    if (value instanceof Map || value instanceof Set) for (const v of value) stringsOf(v, out, seen);
    else
      for (const [k, v] of Object.entries(value)) {
        out.push(k);
        stringsOf(v, out, seen);
      }
  }
  return out;
}

/** Collects outputs; `assertClean` fails listing every leak at once. */
export class Sweep {
  readonly outputs = new Map<string, string>();

  add(name: string, text: string): string {
    assert.ok(!this.outputs.has(name), `output ${name} added twice`);
    this.outputs.set(name, text);
    return text;
  }

  /** Every string field of a data structure (a tree, a snapshot), one per line. */
  addData(name: string, value: unknown): void {
    this.add(name, stringsOf(value).join('\n'));
  }

  assertClean(): void {
    const leaks = [...this.outputs].flatMap(([name, text]) => leaksIn(name, text));
    if (leaks.length) assert.fail(`${leaks.length} password leak(s):\n${leaks.join('\n')}`);
  }
}
