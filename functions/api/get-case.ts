import * as z from 'zod/mini';
import '../domain/zod-locale';
import { apiHandler } from '../commons/http';
import { caseStore } from '../commons/app';
import { now } from '../commons/clock';
import { canReadCase } from '../domain/identity';
import { forbidden, notFound } from '../commons/problems';
import { caseView } from './case-view';

/** Case ids are ULIDs: 26 Crockford base-32 characters. */
export const CaseIdParamsSchema = z.strictObject({ id: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a case id (26 characters)')) });

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
