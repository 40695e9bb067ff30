import type { Handler } from 'aws-lambda';
// Mediation's refusals render only in the routes that can answer them (domain/mediation/refusal-texts.ts).
import '../domain/mediation/refusal-texts';
import { apiHandler } from '../commons/http';
import { caseStore, directory } from '../commons/app';
import { canSeePersonalData } from '../domain/identity';
import { errorText } from '../domain/errors';
import { forbidden, notFound } from '../commons/problems';
import { renderDocument } from '../domain/mediation/documents';
import { DocumentParamsSchema } from './mediation-schemas';

const HTML = 'text/html; charset=utf-8';

/**
 * A document of the case's file (一案一档) as printable HTML, written from the case now. For the
 * parties to the case (the units that hold, held, accepted or mediate it) and the supervisor:
 * the documents name the parties to the dispute. Anyone else: 403.
 */
const inner = apiHandler({ auth: 'required', params: DocumentParamsSchema }, async ({ params, caller }) => {
  const found = await caseStore().getCase(params.id);
  if (!found) throw notFound(errorText('case-not-found', { caseId: params.id }));
  if (!canSeePersonalData(caller, found.record)) throw forbidden(errorText('documents-parties-only', { callerUnit: caller.unit }));
  const html = renderDocument(found.record, params.document, directory);
  if (html === undefined) throw notFound(errorText('document-not-found', { document: params.document }));
  return {
    statusCode: 200,
    body: html,
    headers: { 'content-type': HTML, 'cache-control': 'private, no-store', 'content-disposition': `inline; filename="${params.id}-${params.document}.html"` },
  };
});

/** apiHandler writes bodies as JSON; an HTML answer goes out as the text itself. */
export const handler: Handler = async (event, context, callback) => {
  const result = await (inner as Handler)(event, context, callback);
  const type = String(result?.headers?.['content-type'] ?? '');
  if (type.startsWith('text/html') && typeof result.body === 'string') return { ...result, body: JSON.parse(result.body) as string };
  return result;
};
