import * as assert from 'assert';
import { parsePostfixInstance } from '../../../../src/core/sources/postfix/instance';
import { compareReleases, inferFloor, parseRelease, releaseHas, releaseProblem, targetHasParameter } from '../../../../src/core/sources/postfix/postfixVersion';
import { NEWEST_POSTFIX } from '../../../../src/core/sources/postfix/versions.generated';

describe('Postfix releases', () => {
  it('parses and orders releases; a series sorts as its newest patch', () => {
    assert.deepStrictEqual(parseRelease('3.7.11'), [3, 7, 11]);
    assert.deepStrictEqual(parseRelease(' 3.10 '), [3, 10, undefined]);
    assert.strictEqual(parseRelease('3.x'), undefined);
    assert.ok(compareReleases([3, 10, 0], [3, 9, 14]) > 0);
    assert.ok(compareReleases([3, 7, undefined], [3, 7, 11]) > 0);
    assert.strictEqual(releaseProblem('3.7'), undefined);
    assert.match(releaseProblem('2.11') ?? '', /knows Postfix 3\.4 to/);
    assert.match(releaseProblem('latest') ?? '', /not a Postfix release/);
  });

  it('knows when a name appeared, including back-ports to patch releases', () => {
    assert.ok(releaseHas('3.9', [3, 10, 2]));
    assert.ok(!releaseHas('3.9', [3, 8, 20]));
    const smuggling = '3.5.23 3.6.13 3.7.9 3.8.4 3.9';
    assert.ok(releaseHas(smuggling, [3, 7, 9]) && releaseHas(smuggling, [3, 7, undefined]) && releaseHas(smuggling, [3, 11, 0]));
    assert.ok(!releaseHas(smuggling, [3, 7, 8]) && !releaseHas(smuggling, [3, 4, 29]));
    assert.strictEqual(targetHasParameter('smtpd_client_ipv6_prefix_length', [3, 7, undefined]), false);
    assert.strictEqual(targetHasParameter('smtpd_client_ipv6_prefix_length', [3, 8, 0]), true);
    assert.strictEqual(targetHasParameter('no_such_parameter', [3, 8, 0]), undefined);
    assert.strictEqual(NEWEST_POSTFIX, '3.11');
  });

  it('takes the target from the user, else a floor from compatibility_level and names, else the newest release', () => {
    const target = (text: string, version?: string) => parsePostfixInstance({ main: { file: 'main.cf', text }, postfixVersion: version ? { version, why: 'the setting' } : undefined }).target;
    assert.deepStrictEqual(target('myhostname = a.example\n', '3.7'), { release: [3, 7, undefined], source: 'configured', why: 'the setting' });
    assert.deepStrictEqual(target('compatibility_level = 3.6\n'), { release: [3, 6, 0], source: 'inferred', why: 'compatibility_level = 3.6' });
    const byName = target('compatibility_level = 2\nsmtpd_forbid_bare_newline = normalize\n');
    assert.strictEqual(byName.source, 'inferred');
    assert.deepStrictEqual(byName.release, [3, 5, 23]);
    assert.strictEqual(target('myhostname = a.example\n').source, 'assumed');
    assert.strictEqual(inferFloor('2', ['myhostname']), undefined);
  });

  it('uses the release\'s defaults: Postfix 3.11 with compatibility_level 3.11 uses TLS by default in the SMTP client', () => {
    const level = (text: string) => parsePostfixInstance({ main: { file: 'main.cf', text } }).effectiveValue('smtp_tls_security_level');
    assert.strictEqual(level('compatibility_level = 3.11\n'), 'may');
    assert.strictEqual(level('compatibility_level = 3.6\n'), '');
    const configured = parsePostfixInstance({ main: { file: 'main.cf', text: 'compatibility_level = 3.11\n' }, postfixVersion: { version: '3.9', why: 'x' } });
    assert.strictEqual(configured.effectiveValue('smtp_tls_security_level'), '');
  });
});
