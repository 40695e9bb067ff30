import { open311Handler } from '../open311/http';
import { servicesList } from '../open311/services';

/** GET /open311/v2/services.{json,xml}: the categories as services. Public; reads nothing stored. */
export const handler = open311Handler(async ({ lang }) => ({ status: 200, document: { root: 'services', value: servicesList(lang) } }));
