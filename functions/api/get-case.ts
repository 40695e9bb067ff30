import { apiHandler } from '../commons/http';
// A stored case's timeline may hold mediation's events: their texts are registered where they are rendered.
import '../domain/mediation/event-texts';
import { caseStore } from '../commons/app';
import { now } from '../commons/clock';
import { canReadCase } from '../domain/identity';
import { errorText } from '../domain/errors';
import { forbidden, notFound } from '../commons/problems';
import { caseView } from './case-view';
import { CaseIdParamsSchema } from './request-schemas';

export const handler = apiHandler(
  // Any role may ask; whether this caller may read this case depends on the case.
  { auth: 'required', params: CaseIdParamsSchema },
  async ({ params, caller, texts }) => {
    const found = await caseStore().getCase(params.id);
    if (!found) throw notFound(errorText('case-not-found', { caseId: params.id }));
    if (!canReadCase(caller, found.record)) throw forbidden(errorText('not-your-case', { caseId: params.id, callerUnit: caller.unit }));
    return { statusCode: 200, body: caseView(found.record, found.timeline, caller, now(), texts) };
  },
);
