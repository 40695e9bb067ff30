import { readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { buildOpenApiDocument } from '../../../functions/api/openapi-document';
import { OPENAPI_DOCUMENT_BROTLI_BASE64 } from '../../../functions/api/openapi-document.generated';
import { GENERATED_FILE, generatedModule } from '../../../scripts/openapi-document';

/*
 * GET /v1/openapi.json serves the document generated at build time (functions/api/openapi.ts):
 * it must be what the routes and schemas give now. After changing a route or a schema, run
 * `npx tsx scripts/openapi-document.ts`.
 */
describe('the generated OpenAPI document', () => {
  it('is the document the routes and their schemas build now', () => {
    const served = JSON.parse(brotliDecompressSync(Buffer.from(OPENAPI_DOCUMENT_BROTLI_BASE64, 'base64')).toString('utf8'));
    expect(served).toEqual(buildOpenApiDocument());
  });

  it('is the file the script writes', () => {
    expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(generatedModule());
  });
});
