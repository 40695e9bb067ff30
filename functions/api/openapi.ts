import { apiHandler } from '../commons/http';
import { buildOpenApiDocument } from './openapi-document';

let document: Record<string, unknown> | undefined;

export const handler = apiHandler({ auth: 'public' }, async () => ({
  statusCode: 200,
  body: (document ??= buildOpenApiDocument()),
}));
