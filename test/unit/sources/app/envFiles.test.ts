// Where parseEnvFile says each variable is written, checked against what the dotenv package reads: a
// quoted value over several lines, dotenv's other ways of writing a definition over two lines, and the
// line breaks it counts (CRLF, lone CR, U+2028). Underlines and fixes in .env files land where these say.
import * as assert from 'assert';
import { parse as parseDotenv } from 'dotenv';
import { lintAppFiles } from '../../../../src/core/appLint';
import { parseEnvFile } from '../../../../src/core/sources/app/envFiles';
import { extractEnvTransports } from '../../../../src/core/sources/app/extractFromEnvFile';
import { rangeInsideValue } from '../../../../src/core/sources/app/transport';
import { applyEdit, applyFix, textInRange as covered } from '../../helpers';

const FILE = '/app/.env';
const parse = (text: string) => parseEnvFile({ file: FILE, text });
const variable = (text: string, name: string) => {
  const v = parse(text).variables.get(name);
  assert.ok(v, `${name} not found in ${JSON.stringify(text)}`);
  return v;
};

describe('parseEnvFile: where dotenv reads each value', () => {
  for (const eol of ['\n', '\r\n']) {
    const shown = JSON.stringify(eol);
    it(`a quoted value over two lines (SMTP_HOST=" + ${shown} + "): the value range covers both quotes, nothing is written one for one`, () => {
      const text = `SMTP_HOST="${eol}"${eol}SMTP_PORT=587${eol}`;
      const host = variable(text, 'SMTP_HOST');
      assert.strictEqual(host.value, '\n', 'dotenv reads one line break');
      assert.deepStrictEqual(host.valueRange, { start: { line: 0, character: 10 }, end: { line: 1, character: 1 } });
      assert.deepStrictEqual(host.lineRange, { start: { line: 0, character: 0 }, end: { line: 1, character: 1 } });
      assert.strictEqual(host.verbatim, undefined);
      assert.strictEqual(host.aloneOnLine, false);
      const port = variable(text, 'SMTP_PORT');
      assert.strictEqual(covered(text, port.valueRange), '587');
      assert.strictEqual(port.lineRange.start.line, 2);
    });
  }

  it('a multi-line password: the line after it is found where it is, and a NAME=value line inside it is no definition', () => {
    const text = 'SMTP_HOST=smtp.example.com\nSMTP_PASS="first\nSMTP_HOST=evil.example\nlast"\nSMTP_PORT=465\n';
    assert.deepStrictEqual(parseDotenv(text), { SMTP_HOST: 'smtp.example.com', SMTP_PASS: 'first\nSMTP_HOST=evil.example\nlast', SMTP_PORT: '465' });
    const env = parse(text);
    const host = env.variables.get('SMTP_HOST')!;
    assert.strictEqual(host.value, 'smtp.example.com');
    assert.deepStrictEqual(host.valueRange, { start: { line: 0, character: 10 }, end: { line: 0, character: 26 } }, 'not the line inside the password');
    assert.strictEqual(host.aloneOnLine, true);
    const pass = env.variables.get('SMTP_PASS')!;
    assert.strictEqual(covered(text, pass.valueRange), '"first\nSMTP_HOST=evil.example\nlast"');
    assert.deepStrictEqual([pass.lineRange.start.line, pass.lineRange.end.line], [1, 3]);
    assert.strictEqual(covered(text, env.variables.get('SMTP_PORT')!.valueRange), '465');
  });

  it("dotenv's other two-line definitions: a quoted value on the line after NAME=, NAME then =value, NAME: then the value", () => {
    const cases: [string, string, string][] = [
      ['SMTP_HOST=\n"smtp.example.com"\n', 'smtp.example.com', '"smtp.example.com"'],
      ['SMTP_HOST\n=smtp.example.com\n', 'smtp.example.com', 'smtp.example.com'],
      ['SMTP_HOST:\nsmtp.example.com\n', 'smtp.example.com', 'smtp.example.com'],
    ];
    for (const [text, value, written] of cases) {
      assert.strictEqual(parseDotenv(text).SMTP_HOST, value, `dotenv on ${JSON.stringify(text)}`);
      const v = variable(text, 'SMTP_HOST');
      assert.strictEqual(v.value, value);
      assert.strictEqual(covered(text, v.valueRange), written, JSON.stringify(text));
      assert.strictEqual(v.valueRange.start.line, 1);
      assert.strictEqual(v.aloneOnLine, false, 'deleting one line would leave half of it');
    }
  });

  it('a lone CR and U+2028 end a line for dotenv: both definitions are found, neither is alone on its line', () => {
    for (const br of ['\r', '\u2028']) {
      const text = `SMTP_HOST='smtp.example.com'${br}SMTP_PORT=2525\n`;
      assert.deepStrictEqual(parseDotenv(text), { SMTP_HOST: 'smtp.example.com', SMTP_PORT: '2525' });
      const env = parse(text);
      const host = env.variables.get('SMTP_HOST')!;
      const port = env.variables.get('SMTP_PORT')!;
      assert.strictEqual(covered(text, host.valueRange), "'smtp.example.com'");
      assert.strictEqual(covered(text, port.valueRange), '2525');
      assert.strictEqual(covered(text, host.lineRange), "SMTP_HOST='smtp.example.com'");
      assert.deepStrictEqual([host.aloneOnLine, port.aloneOnLine], [false, false]);
    }
  });

  it('verbatim is where the value is written one for one: inside quotes, the whole of a plain value, nowhere for escapes', () => {
    const text = 'A="smtp.example.com"\nB=smtp.example.com # note\nC="a\\nb"\nD=\'it\'s\'\n';
    const env = parse(text);
    assert.strictEqual(covered(text, env.variables.get('A')!.verbatim!), 'smtp.example.com');
    assert.strictEqual(covered(text, env.variables.get('B')!.verbatim!), 'smtp.example.com');
    assert.strictEqual(env.variables.get('C')!.value, 'a\nb');
    assert.strictEqual(env.variables.get('C')!.verbatim, undefined, 'an escape is two characters for one');
    assert.strictEqual(env.variables.get('D')!.value, "it's", 'dotenv strips the outer quotes of any value');
    assert.strictEqual(covered(text, env.variables.get('D')!.verbatim!), "it's");
  });

  it('a value dotenv strips quotes from in the middle (after U+2028) is not taken as written one for one', () => {
    // dotenv's quote stripping is per line (regex m flag): "h'a'<U+2028>'b'" reads as "h'a'<U+2028>b".
    // (On the user name: a value like this is no host name, so it is not read as a host at all.)
    const text = "SMTP_HOST=smtp.example.com\nSMTP_USER=h'a'\u2028'b'\nSMTP_PORT=25\n";
    assert.strictEqual(parseDotenv(text).SMTP_USER, "h'a'\u2028b");
    const [t] = extractEnvTransports({ file: FILE, text }, parse(text));
    const user = t.options.get('auth.user')!;
    assert.strictEqual(user.value, "h'a'\u2028b");
    assert.strictEqual(covered(text, user.range), "h'a'\u2028'b'");
    assert.strictEqual(rangeInsideValue(user, 0, 1), undefined, 'two characters wider than the value, yet not quoted');
  });
});

describe('.env transports: findings and fixes on a value over several lines', () => {
  it('the port fix replaces the whole quoted value (no stray quote left on the next line)', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = `SMTP_HOST=smtp.example.com${eol}SMTP_PORT="465${eol}"${eol}SMTP_SECURE=false${eol}`;
      const { findings } = lintAppFiles([{ file: FILE, text }]);
      const mismatch = findings.find((f) => f.ruleId === 'nodemailer/secure-port-mismatch');
      assert.ok(mismatch, `no secure-port-mismatch in ${findings.map((f) => f.ruleId).join(', ')}`);
      const fixed = applyFix(text, mismatch, 'Use port 587');
      assert.strictEqual(fixed, `SMTP_HOST=smtp.example.com${eol}SMTP_PORT=587${eol}SMTP_SECURE=false${eol}`);
      assert.deepStrictEqual(parseDotenv(fixed), { SMTP_HOST: 'smtp.example.com', SMTP_PORT: '587', SMTP_SECURE: 'false' });
    }
  });

  it('the port finding covers the value as written, both lines of it', () => {
    const text = 'SMTP_HOST=smtp.example.com\nSMTP_PORT="25\n"\nSMTP_SECURE=true\n';
    const { findings } = lintAppFiles([{ file: FILE, text }]);
    const port25 = findings.find((f) => f.ruleId === 'nodemailer/port-25-submission');
    assert.ok(port25);
    assert.strictEqual(covered(text, port25.range), '"25\n"');
  });

  it('an SMTP URL ending in a line break: the finding is on the whole value, never on a window shifted by the quote', () => {
    const text = 'SMTP_URL="smtps://me:secret@smtp.example.com:587\n"\n';
    const [t] = extractEnvTransports({ file: FILE, text }, parse(text));
    const url = t.options.get('url')!;
    assert.strictEqual(url.value, 'smtps://me:secret@smtp.example.com:587\n');
    assert.strictEqual(covered(text, url.range), '"smtps://me:secret@smtp.example.com:587\n"');
    assert.strictEqual(rangeInsideValue(url, 0, 6), undefined, 'the characters are not on one line as written');
  });

  it('removing a variable deletes its own line only, never a line of a neighbouring quoted value', () => {
    const text = 'SMTP_HOST=smtp.example.com\nSMTP_SERVICE=gmail\nSMTP_PASS="first\nSMTP_HOST=x"\n';
    const [t] = extractEnvTransports({ file: FILE, text }, parse(text));
    const host = t.options.get('host')!;
    assert.ok(host.removeRange, 'SMTP_HOST is alone on its line');
    const after = applyEdit(text, { range: host.removeRange, newText: '' });
    assert.deepStrictEqual(parseDotenv(after), { SMTP_SERVICE: 'gmail', SMTP_PASS: 'first\nSMTP_HOST=x' });
    assert.strictEqual(t.options.get('auth.pass')!.removeRange, undefined, 'a value over two lines is not removed line by line');
  });
});
