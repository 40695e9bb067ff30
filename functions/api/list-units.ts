import { apiHandler } from '../commons/http';
import { directory } from '../commons/app';

export const handler = apiHandler({ auth: 'public' }, async () => ({
  statusCode: 200,
  body: { items: directory.all() },
  headers: { 'cache-control': 'public, max-age=300' },
}));
