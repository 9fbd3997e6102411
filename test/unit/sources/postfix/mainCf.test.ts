import * as assert from 'assert';
import { parseMainCf } from '../../../../src/core/sources/postfix/mainCf';

const parse = (text: string) => parseMainCf({ file: 'main.cf', text });
const slice = (text: string, s: { start: number; end: number }) => text.slice(s.start, s.end);

describe('main.cf parser', () => {
  it('reads name = value with white space trimmed', () => {
    const text = 'myhostname   =   mail.example.com   \n';
    const [p] = parse(text).parameters;
    assert.strictEqual(p.name, 'myhostname');
    assert.strictEqual(p.value, 'mail.example.com');
    assert.strictEqual(slice(text, p.nameSpan), 'myhostname');
    assert.strictEqual(slice(text, p.valueSpan), 'mail.example.com');
  });

  it('joins continuation lines and keeps exact ranges across them', () => {
    const text = 'mydestination = a,\n# comment\n    b,\n\n\tc\nnext = 1\n';
    const cf = parse(text);
    const [p, next] = cf.parameters;
    assert.strictEqual(p.value, 'a,    b,\tc');
    assert.strictEqual(p.firstLine, 0);
    assert.strictEqual(p.lastLine, 4);
    const b = p.value.indexOf('b');
    assert.strictEqual(slice(text, p.spanOfValue(b, b + 2)), 'b,');
    assert.deepStrictEqual(cf.range(p.spanOfValue(b, b + 1)), { start: { line: 2, character: 4 }, end: { line: 2, character: 5 } });
    // A slice that crosses a line break covers the text in between, comment included.
    assert.strictEqual(slice(text, p.spanOfValue(0, p.value.length)), 'a,\n# comment\n    b,\n\n\tc');
    assert.strictEqual(next.name, 'next');
  });

  describe('comment lines inside a continued value (first non-blank character "#", indented or not)', () => {
    it('an indented comment between continuation lines is dropped from the value and kept as a comment', () => {
      const text = 'mydestination = a,\n    # b,\n    c\nnext = 1\n';
      const cf = parse(text);
      const [p, next] = cf.parameters;
      assert.strictEqual(p.value, 'a,    c');
      assert.deepStrictEqual([p.firstLine, p.lastLine], [0, 2]);
      const c = p.value.indexOf('c');
      assert.deepStrictEqual(cf.range(p.spanOfValue(c, c + 1)), { start: { line: 2, character: 4 }, end: { line: 2, character: 5 } });
      assert.deepStrictEqual(cf.comments.map((k) => [k.line, slice(text, k)]), [[1, '# b,']]);
      assert.strictEqual(next.name, 'next');
      assert.deepStrictEqual(cf.problems, []);
    });

    it('indented comments before, between and after the items of a list that starts on the next line', () => {
      const text = [
        'smtpd_recipient_restrictions =',
        '\t# first the clients we trust',
        '    permit_mynetworks,',
        '    # reject_unauth_destination comes next',
        '    reject_unauth_destination',
        '  # the end',
        'relayhost = [smtp.example.com]:587',
        '',
      ].join('\n');
      const cf = parse(text);
      const [p, relayhost] = cf.parameters;
      assert.strictEqual(p.value, 'permit_mynetworks,    reject_unauth_destination');
      assert.deepStrictEqual([p.firstLine, p.lastLine], [0, 4], 'a comment after the last item does not extend the statement');
      assert.strictEqual(slice(text, p.valueSpan), 'permit_mynetworks,\n    # reject_unauth_destination comes next\n    reject_unauth_destination');
      const r = p.value.indexOf('reject');
      assert.strictEqual(slice(text, p.spanOfValue(r, p.value.length)), 'reject_unauth_destination');
      assert.deepStrictEqual(cf.comments.map((k) => k.line), [1, 3, 5]);
      assert.strictEqual(relayhost.value, '[smtp.example.com]:587');
      assert.strictEqual(relayhost.firstLine, 6);
    });

    it('an indented comment right after a value ends nothing: the next indented line still continues it', () => {
      const cf = parse('relayhost = [x]:587,\n  # note\n  [y]:587\n');
      assert.strictEqual(cf.parameters.length, 1);
      assert.strictEqual(cf.parameters[0].value, '[x]:587,  [y]:587');
    });

    it('an indented comment before any statement is a comment, not a line that continues nothing', () => {
      const text = '  # note\nmyhostname = mail.example.com\n';
      const cf = parse(text);
      assert.deepStrictEqual(cf.problems, []);
      assert.deepStrictEqual(cf.comments.map((k) => [k.line, slice(text, k)]), [[0, '# note']]);
      assert.strictEqual(cf.parameters[0].value, 'mail.example.com');
    });

    it('a "#" after other text on a continuation line is part of the value', () => {
      const cf = parse('alias_maps = hash:/etc/aliases,\n    hash:/etc/more # not a comment\n');
      assert.strictEqual(cf.parameters[0].value, 'hash:/etc/aliases,    hash:/etc/more # not a comment');
      assert.deepStrictEqual(cf.comments, []);
    });

    it('with CRLF line ends and a tab before the "#"', () => {
      const text = 'mydestination = a,\r\n\t# b\r\n  c\r\n';
      const cf = parse(text);
      assert.strictEqual(cf.parameters[0].value, 'a,\r  c');
      assert.deepStrictEqual(cf.comments.map((k) => k.line), [1]);
    });
  });

  it('lets the last definition win', () => {
    const cf = parse('a_b = 1\nc = 2\na_b = 3\n');
    assert.strictEqual(cf.parameters.length, 3);
    assert.strictEqual(cf.effective.get('a_b')!.value, '3');
    assert.strictEqual(cf.effective.get('a_b')!.firstLine, 2);
  });

  it('keeps a # after a value as part of the value, as Postfix does', () => {
    assert.strictEqual(parse('relayhost = [x]:587 # note\n').parameters[0].value, '[x]:587 # note');
  });

  it('reports a line without "=" and an indented first line, and reads the rest', () => {
    const text = '  orphan = 1\nmyhostname mail.example.com\nmydomain = example.com\n';
    const cf = parse(text);
    assert.deepStrictEqual(cf.problems.map((p) => [p.kind, slice(text, p.span)]), [
      ['orphan-continuation', '  orphan = 1'],
      ['missing-equals', 'myhostname mail.example.com'],
    ]);
    assert.deepStrictEqual(cf.parameters.map((p) => p.name), ['mydomain']);
  });

  it('handles CRLF line ends and a last line without a newline', () => {
    const text = 'a = 1\r\nb = x,\r\n  y\r\nc = 3';
    const cf = parse(text);
    assert.deepStrictEqual(cf.parameters.map((p) => [p.name, p.value]), [['a', '1'], ['b', 'x,\r  y'], ['c', '3']]);
    assert.strictEqual(slice(text, cf.parameters[2].valueSpan), '3');
  });

  it('reads empty values and "=" without spaces', () => {
    const cf = parse('a=\nb=c=d\n');
    assert.deepStrictEqual(cf.parameters.map((p) => [p.name, p.value]), [['a', ''], ['b', 'c=d']]);
  });
});
