import { apiHandler } from '../commons/http';
import { CATEGORIES } from '../domain/categories';

export const handler = apiHandler({ auth: 'public' }, async () => ({
  statusCode: 200,
  body: {
    items: CATEGORIES.map(({ id, name, nameEn, signOffWorkingDays, handlingWorkingDays }) => ({
      id,
      name,
      nameEn,
      signOffWorkingDays,
      handlingWorkingDays,
    })),
  },
  headers: { 'cache-control': 'public, max-age=300' },
}));
