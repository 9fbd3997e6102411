import * as assert from 'assert';
import { isMailServerImage, mailServerServiceLines, outboundEndpoints } from '../../../src/core/composeServices';
import type { Endpoint } from '../../../src/core/model';

describe('compose services that are mail servers', () => {
  it('are known by their image', () => {
    for (const image of ['boky/postfix', 'juanluisbaptiste/postfix:1.7', 'ghcr.io/docker-mailserver/docker-mailserver:latest', 'axllent/mailpit', 'mailhog/mailhog@sha256:abc', 'maildev/maildev:2', 'rnwood/smtp4dev']) {
      assert.ok(isMailServerImage(image), image);
    }
    for (const image of ['node:20', 'postgres:16', 'redis', 'my-app/mailer-worker', 'nginx']) assert.ok(!isMailServerImage(image), image);
  });

  it('their SMTP settings are not connections the application makes; other services keep theirs', () => {
    const text = 'services:\n  mailpit:\n    image: axllent/mailpit\n    environment:\n      SMTP_HOST: 0.0.0.0\n      SMTP_PORT: 1025\n  app:\n    image: node:20\n    environment:\n      SMTP_HOST: mailpit\n      SMTP_PORT: 1025\n';
    assert.deepStrictEqual(mailServerServiceLines(text), [{ first: 1, last: 5, name: 'mailpit' }]);
    const at = (line: number): Pick<Endpoint, 'file' | 'range' | 'source'> => ({ file: 'docker-compose.yml', source: 'yaml', range: { start: { line, character: 6 }, end: { line: line + 1, character: 20 } } });
    assert.deepStrictEqual(outboundEndpoints([at(4), at(9)], () => text).map((e) => e.range.start.line), [9]);
  });
});
