import { createHash } from 'node:crypto';

/** A weak validator of a JSON answer: the same content gives the same tag, whatever the time it was asked. */
export const summaryEtag = (content: unknown): string =>
  `W/"${createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 22)}"`;

/** Whether the request's If-None-Match names this tag (or `*`): then 304 with no body. */
export function notModified(headers: Readonly<Record<string, string | undefined>>, etag: string): boolean {
  const header = headers['if-none-match'];
  if (!header) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}
