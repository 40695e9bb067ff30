import { apiHandler } from '../commons/http';
import { caseStore } from '../commons/app';
import { now } from '../commons/clock';
import { canReadCase } from '../domain/identity';
import { forbidden, notFound } from '../commons/problems';
import { caseView } from './case-view';
import { CaseIdParamsSchema } from './request-schemas';

export const handler = apiHandler(
  // Any role may ask; whether this caller may read this case depends on the case.
  { auth: 'required', params: CaseIdParamsSchema },
  async ({ params, caller }) => {
    const found = await caseStore().getCase(params.id);
    if (!found) throw notFound(`No case ${params.id}.`);
    if (!canReadCase(caller, found.record)) throw forbidden(`Case ${params.id} is not one of unit ${caller.unit}'s cases.`);
    return { statusCode: 200, body: caseView(found.record, found.timeline, caller, now()) };
  },
);
