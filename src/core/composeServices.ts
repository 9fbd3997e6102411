// docker-compose services that are mail servers themselves (postfix, docker-mailserver, mailpit...): the SMTP
// settings in their environment describe the server, not a connection an application makes, so nothing
// probes them as outbound transports.
import { isMap, isScalar, parseDocument } from 'yaml';
import type { Endpoint } from './model';
import { LineIndex } from './text';

/** Image repositories (the last path part, without registry or tag) of well-known mail servers and catchers. */
const MAIL_SERVER_IMAGE =
  /^(postfix|[\w.-]*-postfix|postfix-[\w.-]+|docker-mailserver|mailserver|mail-server|mailhog|mailpit|maildev|smtp4dev|exim4?|haraka|opensmtpd|maddy|stalwart(-mail)?|greenmail(-standalone)?|mailcatcher|inbucket|smtp|smtpd|smtp-relay|poste\.io|mailu-[\w.-]+|postal|mailcow-[\w.-]+)$/i;

/** Whether a compose `image:` names a mail server, e.g. `boky/postfix:latest`, `ghcr.io/docker-mailserver/docker-mailserver`. */
export function isMailServerImage(image: string): boolean {
  const repository = image.trim().replace(/@sha256:.*$/, '').replace(/:[^/:]*$/, '').split('/').pop() ?? '';
  return MAIL_SERVER_IMAGE.test(repository);
}

/** Line spans (0-based, inclusive) of the services of a compose file whose image is a mail server. */
export function mailServerServiceLines(text: string): { readonly first: number; readonly last: number; readonly name: string }[] {
  if (!/^services\s*:/m.test(text) || !/image\s*:/.test(text)) return [];
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: false });
  } catch {
    return [];
  }
  const services = doc.get('services', true);
  if (!isMap(services)) return [];
  const lines = new LineIndex(text);
  const out: { first: number; last: number; name: string }[] = [];
  for (const pair of services.items) {
    const service = pair.value;
    if (!isMap(service) || !service.range) continue;
    const image = service.get('image', true);
    if (!isScalar(image) || typeof image.value !== 'string' || !isMailServerImage(image.value)) continue;
    const keyStart = isScalar(pair.key) && pair.key.range ? pair.key.range[0] : service.range[0];
    out.push({ first: lines.positionAt(keyStart).line, last: lines.positionAt(Math.max(service.range[0], service.range[1] - 1)).line, name: isScalar(pair.key) ? String(pair.key.value) : '' });
  }
  return out;
}

/**
 * The endpoints that are connections an application makes: without those defined inside a compose service
 * that is a mail server. `textOf` gives a file's text (undefined: keep its endpoints).
 */
export function outboundEndpoints<E extends Pick<Endpoint, 'file' | 'range' | 'source'>>(endpoints: readonly E[], textOf: (file: string) => string | undefined): E[] {
  const spans = new Map<string, ReturnType<typeof mailServerServiceLines>>();
  return endpoints.filter((e) => {
    if (e.source !== 'yaml') return true;
    let s = spans.get(e.file);
    if (!s) {
      const text = textOf(e.file);
      s = text === undefined ? [] : mailServerServiceLines(text);
      spans.set(e.file, s);
    }
    return !s.some((x) => e.range.start.line >= x.first && e.range.start.line <= x.last);
  });
}
