import * as z from 'zod/mini';
import '../domain/zod-locale';
import { ROUTES, type RouteDefinition } from './routes';
import { CaseViewSchema, CreateCaseBodySchema, IntakePreviewSchema } from '../domain/case';
import { UnitSchema } from '../domain/directory';
import { CategorySchema } from '../domain/categories';
import { PublicStatusSchema } from '../domain/public-status';
import { TrackParamsSchema } from './track-params';
import { CitizenAcceptedSchema, FollowUpBodySchema, TrackEvaluationBodySchema, TrackReopenBodySchema } from './citizen-bodies';
import { Open311FileParamsSchema } from '../open311/params';
import { MessageBodySchema } from '../domain/notifications/message-body';
import { ListNotificationsQuerySchema, NotificationListSchema, UnitContactsViewSchema, UnitParamsSchema } from '../domain/notifications/requests';
import { CaseIdParamsSchema, CoHandlerParamsSchema, ExecutionQuerySchema, IdempotencyKeySchema, ListCasesQuerySchema } from './request-schemas';
import { CaseSummaryQuerySchema, CaseSummarySchema } from './case-summary-schema';
import { StatisticsQuerySchema } from './statistics-schema';
import { ExportCasesQuerySchema } from './export-cases-schema';
import { StatisticsSchema } from '../domain/statistics';
import {
  EvaluateBodySchema,
  ExtensionBodySchema,
  ProgressBodySchema,
  ReasonBodySchema,
  ResolveBodySchema,
  SignOffBodySchema,
  SuperviseBodySchema,
  CoHandleBodySchema,
  ApproverSchema,
  CoHandlerReplyBodySchema,
  CoHandlerSignOffBodySchema,
} from './action-bodies';
import { TimelineEventSchema, TimelineEventViewSchema } from '../domain/case';
import { AssessmentReportSchema, ReportFormatQuerySchema, ReportMonthParamsSchema, ReportPeriodQuerySchema } from '../report/report-schema';
import {
  MediationAcceptBodySchema,
  MediationDeclineBodySchema,
  MediationFulfilmentBodySchema,
  MediationOutcomeBodySchema,
  MediationSessionBodySchema,
  ReferMediationBodySchema,
  DocumentParamsSchema,
  MediationStatisticsQuerySchema,
} from './mediation-schemas';

/*
 * The OpenAPI 3.1 document, generated from the same zod schemas the handlers validate with,
 * so the documentation cannot describe a request the API would refuse, or the reverse.
 */
const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().check(z.int()),
    detail: z.string(),
    /** The stable code of the refusal (e.g. `error.case-moved-on`), for clients that write their own text. */
    code: z.optional(z.string()),
    errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  })
  .register(z.globalRegistry, { id: 'Problem' });

const listOf = (item: z.core.$ZodType, id: string) =>
  z.object({ items: z.array(item), nextCursor: z.optional(z.string()) }).register(z.globalRegistry, { id });

interface Operation {
  readonly summary: string;
  readonly body?: z.core.$ZodType;
  readonly query?: z.ZodMiniObject;
  readonly params?: z.ZodMiniObject;
  readonly success: { readonly status: number; readonly schema?: z.core.$ZodType; readonly description: string };
  /** Takes an Idempotency-Key header: a retry with it is answered as the first time. */
  readonly idempotent?: boolean;
}

const AcceptedSchema = z
  .object({ caseId: z.string(), action: z.string(), status: z.literal('accepted') })
  .register(z.globalRegistry, { id: 'ActionAccepted' });

/** Actions are applied by the workflow: 202 now, the case shows the result once applied. */
const action = (summary: string, body: z.core.$ZodType): Operation => ({
  summary,
  params: CaseIdParamsSchema,
  body,
  success: { status: 202, schema: AcceptedSchema, description: 'delivered to the workflow, which applies it' },
  idempotent: true,
});

/** A co-handling unit's action on its own part: the unit in the path is the caller's. */
const coHandlerAction = (summary: string, body: z.core.$ZodType): Operation => ({ ...action(summary, body), params: CoHandlerParamsSchema });

const OPERATIONS: Record<string, Operation> = {
  'GET /health': { summary: 'Whether the store and the workflow engine answer', success: { status: 200, description: 'healthy' } },
  'GET /v1/openapi.json': { summary: 'This document', success: { status: 200, description: 'the OpenAPI document' } },
  'GET /v1/units': {
    summary: 'The unit directory',
    success: { status: 200, schema: listOf(UnitSchema, 'UnitList'), description: 'every unit' },
  },
  'GET /v1/units/{id}/contacts': {
    summary: 'A unit\'s duty contacts for notifications (not public)',
    params: UnitParamsSchema,
    success: { status: 200, schema: UnitContactsViewSchema, description: 'its SMS phones, email addresses, webhook and quiet hours' },
  },
  'GET /v1/notifications': {
    summary: 'The notifications sent to the caller\'s unit, newest first',
    query: ListNotificationsQuerySchema,
    success: { status: 200, schema: NotificationListSchema, description: 'a page of notifications' },
  },
  'GET /v1/categories': {
    summary: 'Case categories with their sign-off and handling windows in working days',
    success: { status: 200, schema: listOf(CategorySchema, 'CategoryList'), description: 'every category' },
  },
  'GET /v1/track/{code}': {
    summary: 'The public status of a case by its tracking code: stage, responsible unit, dates, result and milestones; nothing personal',
    params: TrackParamsSchema,
    success: { status: 200, schema: PublicStatusSchema, description: 'the public status' },
  },
  'POST /v1/track/{code}/evaluation': {
    summary: 'The complainant rates the result with the PIN sent with it (satisfied, unsatisfied, not implemented), once per result; wrong, expired or used PIN 403, five wrong PINs lock it for an hour (429 with Retry-After)',
    params: TrackParamsSchema,
    body: TrackEvaluationBodySchema,
    success: { status: 202, schema: CitizenAcceptedSchema, description: 'recorded; in the evaluation window it acts as the community\'s rating does' },
  },
  'POST /v1/track/{code}/reopen': {
    summary: 'The complainant reopens a closed case within the reopening window with the PIN of its last result and a reason; open or past the window 409',
    params: TrackParamsSchema,
    body: TrackReopenBodySchema,
    success: { status: 202, schema: CitizenAcceptedSchema, description: 'the case\'s next execution started; it goes back to the unit of the last result' },
  },
  'GET /open311/v2/discovery.json': {
    summary: "Open311 GeoReport v2 service discovery (docs/open311.md)",
    success: { status: 200, description: 'the discovery document' },
  },
  'GET /open311/v2/discovery.xml': {
    summary: "Open311 GeoReport v2 service discovery, as XML",
    success: { status: 200, description: 'the discovery document' },
  },
  'GET /open311/v2/services.json': {
    summary: "Open311: the categories as services",
    success: { status: 200, description: 'the service list' },
  },
  'GET /open311/v2/services.xml': {
    summary: "Open311: the categories as services, as XML",
    success: { status: 200, description: 'the service list' },
  },
  'GET /open311/v2/services/{file}': {
    summary: "Open311: one service's definition; file is the service code with .json or .xml",
    params: Open311FileParamsSchema,
    success: { status: 200, description: 'the service definition' },
  },
  'GET /open311/v2/requests.json': {
    summary: "Open311: requests by service_request_id, service_code, start_date, end_date, status (the spec's filters; others ignored); errors as the spec's [{code, description}]",
    success: { status: 200, description: 'the requests, newest first' },
  },
  'GET /open311/v2/requests.xml': {
    summary: "Open311: requests by the spec's filters, as XML",
    success: { status: 200, description: 'the requests, newest first' },
  },
  'POST /open311/v2/requests.json': {
    summary: "Open311: post a request with an api_key (form fields as the spec names them, or a JSON object of them); the case is made as the key's unit makes it at POST /v1/cases",
    success: { status: 201, description: "the new request's id, token and service notice" },
  },
  'POST /open311/v2/requests.xml': {
    summary: "Open311: post a request with an api_key, answered as XML",
    success: { status: 201, description: "the new request's id, token and service notice" },
  },
  'GET /open311/v2/requests/{file}': {
    summary: "Open311: one request; file is the service_request_id (the case id) with .json or .xml",
    params: Open311FileParamsSchema,
    success: { status: 200, description: 'the request' },
  },
  'GET /open311/v2/tokens/{file}': {
    summary: "Open311: the request a POST's token names; file is the token with .json or .xml",
    params: Open311FileParamsSchema,
    success: { status: 200, description: 'the request id and token' },
  },
  'POST /v1/cases': {
    summary: 'Accept a case (受理); routed by category unless assignedUnit is given',
    body: CreateCaseBodySchema,
    success: { status: 201, schema: CaseViewSchema, description: 'the new case with its due dates' },
    idempotent: true,
  },
  'POST /v1/cases/preview': {
    summary: 'What intake would do with this body now: the unit it goes to and its due dates; nothing is stored',
    body: CreateCaseBodySchema,
    success: { status: 200, schema: IntakePreviewSchema, description: 'the unit and due dates intake would give the case' },
  },
  'GET /v1/cases': {
    summary: 'A page of the cases the caller may see',
    query: ListCasesQuerySchema,
    success: { status: 200, schema: listOf(CaseViewSchema, 'CaseList'), description: 'a page of cases' },
  },
  'GET /v1/cases/summary': {
    summary: 'Open cases by light, tier, district and category, over every open case (a unit\'s own for a unit); exact as deadlines pass; ETag, If-None-Match → 304',
    query: CaseSummaryQuerySchema,
    success: { status: 200, schema: CaseSummarySchema, description: 'the counts, asOf the time they hold for' },
  },
  'GET /v1/cases/export': {
    summary: 'The supervisor exports a filtered list (the filters of GET /v1/cases) as CSV; complainant=true adds the complainant; over 100,000 cases 400 with a hint to narrow it',
    query: ExportCasesQuerySchema,
    success: { status: 200, description: 'text/csv, one row per case' },
  },
  'GET /v1/cases/{id}': {
    summary: 'One case with its deadlines, light and timeline',
    params: CaseIdParamsSchema,
    success: { status: 200, schema: CaseViewSchema, description: 'the case' },
  },
  'POST /v1/cases/{id}/sign-off': action('Acknowledge the case (签收) and name the responsible person', SignOffBodySchema),
  'POST /v1/cases/{id}/progress': {
    summary: 'A progress note; the clock keeps running',
    params: CaseIdParamsSchema,
    body: ProgressBodySchema,
    success: { status: 201, schema: TimelineEventSchema, description: 'the timeline event written' },
  },
  'POST /v1/cases/{id}/messages': {
    summary: 'A message from one party of the case to the others, or to the parties named; they are notified',
    params: CaseIdParamsSchema,
    body: MessageBodySchema,
    success: { status: 201, schema: TimelineEventSchema, description: 'the timeline event written (MESSAGE)' },
  },
  'POST /v1/cases/{id}/resolve': action('Report the result (办结); the originating community evaluates it', ResolveBodySchema),
  'POST /v1/cases/{id}/escalate': action('Cannot resolve at this tier: hand the case up one tier', ReasonBodySchema),
  'POST /v1/cases/{id}/return': action('Not this unit\'s remit (退回): back to the supervision centre for re-routing', ReasonBodySchema),
  'POST /v1/cases/{id}/evaluate': action('The originating community rates a result another unit reported (a result it reported itself is rated by the complainant or a follow-up call)', EvaluateBodySchema),
  'POST /v1/cases/{id}/follow-up': action('回访: the supervision centre records the complainant\'s answer on a result the originating community reported itself, once per result', FollowUpBodySchema),
  'POST /v1/cases/{id}/reopen': action('Reopen a closed case within the reopening window (the originating community or the supervisor): back to the unit of the last result with a new handling window', ReasonBodySchema),
  'POST /v1/cases/{id}/extension': action('Ask once per tier for more working days (延期)', ExtensionBodySchema),
  'POST /v1/cases/{id}/supervise': action('督办: urge (a unit, or a co-handler\'s part), reassign, decide on an extension request, or waive a co-handler\'s reply', SuperviseBodySchema),
  'POST /v1/cases/{id}/co-handlers': action('协办: the unit holding the case brings in co-handling units, each with the task and a window in working days', CoHandleBodySchema),
  'POST /v1/cases/{id}/co-handlers/{unit}/sign-off': coHandlerAction('A co-handling unit acknowledges its part', CoHandlerSignOffBodySchema),
  'POST /v1/cases/{id}/co-handlers/{unit}/reply': coHandlerAction('A co-handling unit answers on its part', CoHandlerReplyBodySchema),
  'POST /v1/cases/{id}/co-handlers/{unit}/return': coHandlerAction('A co-handling unit gives its part back: not its remit', ReasonBodySchema),
  'POST /v1/cases/{id}/approval': {
    summary: '一笔审批: the unit that reported a result as pending approval names the approving leader, within the handling window',
    params: CaseIdParamsSchema,
    body: ApproverSchema,
    success: { status: 201, schema: TimelineEventViewSchema, description: 'the timeline event written' },
  },
  'POST /v1/cases/{id}/mediation': action('移交调解: the unit holding the case (or the accepting community at intake) refers it to a mediation body; the body has the sign-off window to accept', ReferMediationBodySchema),
  'POST /v1/cases/{id}/mediation/accept': action('The mediation body accepts the referral (受理): its mediation window (the category\'s) starts', MediationAcceptBodySchema),
  'POST /v1/cases/{id}/mediation/decline': action('The mediation body declines the referral with its reason: the case goes back to the holder', MediationDeclineBodySchema),
  'POST /v1/cases/{id}/mediation/sessions': action('A mediation session\'s record (调解笔录): when, who took part by role, what was said', MediationSessionBodySchema),
  'POST /v1/cases/{id}/mediation/outcome': action('The mediation ends: an agreement (terms, amounts, who pays by when, signed by the parties) or a failure (reason, advice)', MediationOutcomeBodySchema),
  'POST /v1/cases/{id}/mediation/fulfilment': action('After an agreement the body records whether it was carried out (督促履行); not carried out alerts the holder, who gets the case back', MediationFulfilmentBodySchema),
  'GET /v1/cases/{id}/documents/{document}': {
    summary: 'A document of the case\'s file (一案一档) as printable HTML in Chinese (text/html), written from the case now; for the parties to the case and the supervisor',
    params: DocumentParamsSchema,
    success: { status: 200, description: 'the document, text/html' },
  },
  'DELETE /v1/cases/{id}/complainant': {
    summary: "Erase the complainant's name, phone and address from the case, at the complainant's request (supervisor)",
    params: CaseIdParamsSchema,
    success: { status: 204, description: 'erased (or there was nothing to erase)' },
  },
  'GET /v1/cases/{id}/execution': {
    summary: "The case's workflow execution: status, current state, path taken and its history newest first, a page at a time (before = olderCursor), with a link to the AWS console when deployed",
    params: CaseIdParamsSchema,
    query: ExecutionQuerySchema,
    success: { status: 200, description: 'the execution' },
  },
  'GET /v1/reports/{month}': {
    summary: 'The monthly assessment (考核通报) of a Shanghai month: as published, or computed now (provisional for the running month); format=csv for text/csv',
    params: ReportMonthParamsSchema,
    query: ReportFormatQuerySchema,
    success: { status: 200, schema: AssessmentReportSchema, description: 'the report' },
  },
  'GET /v1/statistics/mediation': {
    summary: 'Mediation statistics of the cases received in the months from..to: per channel, per body and per level (received, mediated, agreements, success rate, concluded in time, amounts), and the targets with their current values',
    query: MediationStatisticsQuerySchema,
    success: { status: 200, description: 'the statistics' },
  },
  'GET /v1/statistics': {
    summary: 'Comprehensive statistics (综合统计): cases received in a range of months (at most 36) by month, district, street, category, channel or unit; received, resolved, rates, resolved in the community, satisfied, hours to sign-off and days to the first result (p50, p90), resolved in the month of arrival; format=csv for text/csv',
    query: StatisticsQuerySchema,
    success: { status: 200, schema: StatisticsSchema, description: 'the rows, one per key' },
  },
  'GET /v1/reports': {
    summary: 'The assessment of a period of months (from..to), every month measured at the end of the period; format=csv for text/csv',
    query: ReportPeriodQuerySchema,
    success: { status: 200, schema: AssessmentReportSchema, description: 'the period report' },
  },
};

const ref = (schema: z.core.$ZodType) => {
  const id = z.globalRegistry.get(schema)?.id;
  return id ? { $ref: `#/components/schemas/${id}` } : z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' });
};

/** A JSON Schema inside the document: the document's dialect applies, not its own `$schema`. */
const withoutDialect = ({ $schema: _dialect, ...schema }: Record<string, unknown>) => schema;

function parametersOf(op: Operation) {
  const parameters: unknown[] = [];
  for (const [where, schema] of [
    ['path', op.params],
    ['query', op.query],
  ] as const) {
    if (!schema) continue;
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      parameters.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: property });
    }
  }
  if (op.idempotent) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Makes a retry safe: the same request with the same key is answered as the first time (for 24 hours for intake; for an action, while the case remembers it)',
      schema: withoutDialect(z.toJSONSchema(IdempotencyKeySchema, { io: 'input' })),
    });
  }
  return parameters;
}

function operationFor(route: RouteDefinition) {
  const key = `${route.method} ${route.path}`;
  const op = OPERATIONS[key];
  if (!op) throw new Error(`No OpenAPI description for route ${key}.`);
  const problem = { description: 'problem', content: { 'application/problem+json': { schema: ref(ProblemSchema) } } };
  return {
    operationId: route.handler.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()),
    summary: op.summary,
    ...(route.public ? { security: [] } : {}),
    parameters: parametersOf(op),
    ...(op.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: ref(op.body) } } } }
      : {}),
    responses: {
      [op.success.status]: {
        description: op.success.description,
        ...(op.success.schema ? { content: { 'application/json': { schema: ref(op.success.schema) } } } : {}),
      },
      ...(route.public ? {} : { 400: problem, 401: problem, 403: problem }),
      ...(route.path.includes('{id}') ? { 404: problem } : {}),
      ...(op.body ? { 409: problem, 413: problem } : {}),
    },
  };
}

export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operationFor(route);
  }
  // Every schema registered with an id (`.meta({id})`) becomes a component; refs point at them.
  const registry = z.toJSONSchema(z.globalRegistry, {
    io: 'output',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Record<string, unknown>> };
  const schemas = Object.fromEntries(Object.entries(registry.schemas).map(([id, schema]) => [id, withoutDialect(schema)]));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Linked resolution of complaints and disputes',
      version: '1.0.0',
      description: 'Cases accepted by communities, signed off and resolved by the responsible units within working-day windows, escalated by tier.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas,
    },
    paths,
  };
}
