import * as assert from 'assert';
import { expandValue, findReferences } from '../../../../src/core/sources/postfix/macros';

describe('Postfix $references', () => {
  it('finds every reference form with the name range', () => {
    const v = '$a ${b} $(c) ${d?x $e} ${f:y} $$g';
    const { refs, errors } = findReferences(v);
    assert.deepStrictEqual(refs.map((r) => [r.name, v.slice(r.nameStart, r.nameEnd), v.slice(r.start, r.end)]), [
      ['a', 'a', '$a'],
      ['b', 'b', '${b}'],
      ['c', 'c', '$(c)'],
      ['d', 'd', '${d?x $e}'],
      ['e', 'e', '$e'],
      ['f', 'f', '${f:y}'],
    ]);
    assert.deepStrictEqual(errors, []);
  });

  it('expands recursively, with ? and : conditionals and $$', () => {
    const vars: Record<string, string> = { mydomain: 'example.com', myhostname: 'mail.$mydomain', empty: '' };
    const lookup = (n: string) => vars[n];
    assert.strictEqual(expandValue('$myhostname ${mydomain?has} ${empty?no}${empty:yes} $$x', lookup), 'mail.example.com has yes $x');
    assert.strictEqual(expandValue('${myhostname?{a}:{b}} ${empty?{a}:{b}}', lookup), 'a b');
  });

  it('evaluates the compatibility_level expressions Postfix defaults use', () => {
    const v = '${{$compatibility_level} <level {1} ? {} : {permit_mynetworks, defer_unauth_destination}}';
    assert.strictEqual(expandValue(v, (n) => (n === 'compatibility_level' ? '0' : undefined)), '');
    assert.strictEqual(expandValue(v, (n) => (n === 'compatibility_level' ? '3.6' : undefined)), 'permit_mynetworks, defer_unauth_destination');
  });

  it('stops on self-reference instead of looping', () => {
    assert.strictEqual(expandValue('$a', (n) => (n === 'a' ? 'x$a' : undefined)).startsWith('x'), true);
  });

  it('reports a lone $ and an unbalanced brace', () => {
    assert.strictEqual(findReferences('cost $ 5').errors.length, 1);
    assert.strictEqual(findReferences('${abc').errors.length, 1);
  });
});

describe('expandValue on runaway definitions', () => {
  it('a name inside its own expansion expands to nothing, and doubling chains stay bounded', () => {
    const defs: Record<string, string> = { config_directory: 'lmdb:$config_directory/y, lmdb:$config_directory/y' };
    assert.strictEqual(expandValue('$config_directory', (n) => defs[n]), 'lmdb:/y, lmdb:/y');
    const chain: Record<string, string> = {};
    for (let i = 0; i < 60; i++) chain[`p${i}`] = `$p${i + 1}$p${i + 1}`;
    chain.p60 = 'xx';
    const out = expandValue('$p0', (n) => chain[n]);
    assert.ok(out.length <= 200_000 && out.startsWith('xxxx'), `length ${out.length}`);
  });
});
