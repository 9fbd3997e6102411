import * as assert from 'assert';
import { parseHostPort } from '../../../src/core/engine/hostPort';

describe('parseHostPort', () => {
  const cases: [string, ReturnType<typeof parseHostPort>][] = [
    ['mail.example.com', { host: 'mail.example.com' }],
    ['  mail.example.com:587 ', { host: 'mail.example.com', port: 587 }],
    ['192.0.2.1:25', { host: '192.0.2.1', port: 25 }],
    ['[2001:db8::1]:465', { host: '2001:db8::1', port: 465 }],
    ['[2001:db8::1]', { host: '2001:db8::1' }],
    // A bare IPv6 address: its last group is part of it, not a port.
    ['2001:db8::25', { host: '2001:db8::25' }],
    ['::1', { host: '::1' }],
    ['mail.example.com:65535', { host: 'mail.example.com', port: 65535 }],
    ['mail.example.com:0', undefined],
    ['mail.example.com:65536', undefined],
    ['mail.example.com:123456', undefined],
    ['smtp://mail.example.com', undefined],
    ['two words', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} -> ${JSON.stringify(expected)}`, () => assert.deepStrictEqual(parseHostPort(text), expected));
  }
});
