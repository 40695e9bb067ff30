import { apiHandler } from '../commons/http';
import { errorText } from '../domain/errors';
import { caseStore } from '../commons/app';
import { now } from '../commons/clock';
import { conflict, notFound } from '../commons/problems';
import { toShanghaiIso } from '../domain/calendar';
import { erasePersonalData } from '../domain/personal-data';
import { StoreConflict } from '../store/case-store';
import { CaseIdParamsSchema } from './request-schemas';

/**
 * DELETE /v1/cases/{id}/complainant: the supervision centre erases the complainant's name, phone
 * and address from a case when the complainant asks, whatever step the case is in (the clock keeps
 * running; the timeline records the erasure), and with them the parties' names its mediations keep
 * (domain/personal-data.ts). Erasing a case with nothing left to erase changes nothing.
 */
export const handler = apiHandler({ auth: 'required', roles: ['supervisor'], params: CaseIdParamsSchema }, async ({ params, caller }) => {
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await caseStore().getCase(params.id);
    if (!found) throw notFound(errorText('case-not-found', { caseId: params.id }));
    const erasure = erasePersonalData(found.record, 'request', toShanghaiIso(now()), { unit: caller.unit, role: caller.role }, found.timeline);
    if (!erasure) return { statusCode: 204 };
    try {
      await caseStore().erasePersonalData(found.record, erasure);
      return { statusCode: 204 };
    } catch (error) {
      // The workflow wrote a step meanwhile: read again and erase from the new version.
      if (!(error instanceof StoreConflict)) throw error;
    }
  }
  throw conflict(errorText('changed-retry'));
});
