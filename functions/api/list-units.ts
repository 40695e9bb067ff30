import { apiHandler } from '../commons/http';
import { defaultDirectory as directory } from '../domain/directory';

export const handler = apiHandler({ auth: 'public' }, async () => ({
  statusCode: 200,
  body: { items: directory.all() },
  headers: { 'cache-control': 'public, max-age=300' },
}));
