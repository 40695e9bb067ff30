import { caseStore } from '../commons/app';
import { List } from '../open311/document';
import { open311Error, open311Handler } from '../open311/http';
import { CASE_ID, serviceRequest } from '../open311/requests';

/** GET /open311/v2/requests/{service_request_id}.{json,xml}: one request (the case, as the public may see it). */
export const handler = open311Handler(async ({ name, texts }) => {
  const found = CASE_ID.test(name) ? await caseStore().getCase(name) : undefined;
  if (!found) throw open311Error(404, 'open311-request-not-found', { id: name.slice(0, 64) });
  return { status: 200, document: { root: 'service_requests', value: new List('request', [serviceRequest(found.record, texts)]) } };
});
