import { caseStore } from '../commons/app';
import { open311KeyStore } from '../open311/app';
import { List } from '../open311/document';
import { open311Error, open311Handler } from '../open311/http';

/** GET /open311/v2/tokens/{token}.{json,xml}: the request a POST's token names. */
export const handler = open311Handler(async ({ name }) => {
  const caseId = await open311KeyStore().caseIdOfToken(name);
  // The token is written just before its case: one whose case was never stored names nothing.
  const found = caseId ? await caseStore().getCase(caseId) : undefined;
  if (!caseId || !found) throw open311Error(404, 'open311-token-not-found', { token: name.slice(0, 64) });
  return { status: 200, document: { root: 'service_requests', value: new List('request', [{ service_request_id: caseId, token: name }]) } };
});
