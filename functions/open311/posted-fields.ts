import type { ApiEvent } from '../commons/http';
import { open311Error } from './http';
import type { PostedFields } from './requests';

export const MAX_POST_BYTES = 64 * 1024;

/**
 * A POST's fields: form-encoded as the spec sends them, or a JSON object of the same names
 * (numbers allowed for lat and long). Anything else is the spec's 400.
 */
export function readPostedFields(event: ApiEvent): PostedFields {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > MAX_POST_BYTES) throw open311Error(413, 'open311-too-large', { bytes: MAX_POST_BYTES });
  const type = (event.headers?.['content-type'] ?? '').toLowerCase();
  const fields: Record<string, string> = Object.create(null);
  if (/^application\/(?:[\w.+-]+\+)?json\b/.test(type)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw open311Error(400, 'open311-body');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw open311Error(400, 'open311-body');
    for (const [name, value] of Object.entries(parsed)) {
      if (typeof value === 'string') fields[name] = value;
      else if (typeof value === 'number' && Number.isFinite(value)) fields[name] = String(value);
      else if (value !== null && value !== undefined) throw open311Error(400, 'open311-field', { field: name, message: 'string' });
    }
    return fields;
  }
  if (type === '' || type.startsWith('application/x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(text)) if (!(name in fields)) fields[name] = value;
    return fields;
  }
  throw open311Error(415, 'open311-body');
}
