import { open311Error, open311Handler } from '../open311/http';
import { serviceDefinition } from '../open311/services';

/** GET /open311/v2/services/{service_code}.{json,xml}: one service's attributes. Public; reads nothing stored. */
export const handler = open311Handler(async ({ name, lang }) => {
  const definition = serviceDefinition(name, lang);
  if (!definition) throw open311Error(404, 'open311-service-code-unknown', { serviceCode: name.slice(0, 64) });
  return { status: 200, document: { root: 'service_definition', value: definition } };
});
