import { brotliDecompressSync } from 'node:zlib';
import { apiHandler } from '../commons/http';
import { OPENAPI_DOCUMENT_BROTLI_BASE64 } from './openapi-document.generated';

/**
 * GET /v1/openapi.json: the document generated at build time from the routes and their schemas
 * (scripts/openapi-document.ts; a unit test checks it is current), so this function carries the
 * compressed JSON and no schema-to-JSON code. Unpacked once per container.
 */
let document: Record<string, unknown> | undefined;

export const handler = apiHandler({ auth: 'public' }, async () => ({
  statusCode: 200,
  body: (document ??= JSON.parse(brotliDecompressSync(Buffer.from(OPENAPI_DOCUMENT_BROTLI_BASE64, 'base64')).toString('utf8')) as Record<string, unknown>),
}));
