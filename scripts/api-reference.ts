import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { buildOpenApiDocument } from '../functions/api/openapi-document';
import { ROUTES, type RouteDefinition } from '../functions/api/routes';
import { INTAKE_ROLES, OVERSIGHT_ROLES, REPORT_READERS, ROLES, ROLE_OF_UNIT_KIND } from '../functions/domain/roles';
import { ALERT_TYPES, AlertSchema, REMEMBERED_REQUESTS } from '../functions/domain/workflow';
import { REPORT_PUBLISHED } from '../functions/report/summary';
import { MAX_BODY_BYTES } from '../functions/commons/http';
import { TRACK_BUDGET } from '../functions/api/track-case';

/*
 * `npm run docs:api`: writes docs/api.md, the API reference, from the OpenAPI document the API
 * serves at GET /v1/openapi.json (itself built from the zod schemas the handlers validate
 * with), the route table in functions/api/routes.ts, the roles and the alert types. The rules
 * that no schema holds (who may call a route, what each alert means, the local-only
 * endpoints) are written here, keyed by route, field and alert type: a route or an alert type
 * without its text stops the generator; text for one that does not exist is not printed. tests/unit/docs/api-reference.test.ts fails when
 * docs/api.md is not what this script writes. The npm script then runs scripts/openapi-document.ts in
 * a process of its own: the handlers this script imports register schemas (Alert) that a document
 * built here would wrongly include.
 */

export const API_REFERENCE_FILE = join(__dirname, '..', 'docs', 'api.md');

type JsonSchema = {
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  multipleOf?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  description?: string;
};

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

interface OperationDoc {
  summary: string;
  parameters: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
}

const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>) => `${route.method} ${route.path}`;
const list = (roles: readonly string[]) => roles.map((role) => `\`${role}\``).join(', ');

/** Who may call each route, and what it answers beyond its schema. Keyed by `METHOD path`. */
const ROUTE_RULES: Record<string, { who: string; notes?: string }> = {
  'GET /health': {
    who: 'anyone',
    notes: '200 when the store and the workflow engine answer, 503 when either does not; the body gives `status` and each check by name (`status` is `degraded` with a 200 when a holiday calendar the deadlines need is missing).',
  },
  'GET /v1/openapi.json': {
    who: 'anyone',
    notes: 'The OpenAPI 3.1 document of this API, built from the same zod schemas the handlers validate with. This reference is generated from it.',
  },
  'GET /v1/units': {
    who: 'anyone (public information)',
    notes: 'The unit directory (`config/units.json`), in `{items}`; see [units](#units). Cached for five minutes.',
  },
  'GET /v1/units/{id}/contacts': {
    who: 'the unit itself, the supervisor and operators',
    notes: 'The unit\'s duty contacts from `config/contacts.json`: SMS phones, email addresses, its webhook and quiet hours; not part of the public directory. See [notifications](notifications.md#contacts).',
  },
  'GET /v1/notifications': {
    who: 'every signed-in role: its own unit\'s notifications; operators also another unit\'s (`unit`), a case\'s (`caseId`) or the parked ones of every unit (`status=parked`)',
    notes: 'Newest first, `limit` (default 20, at most 100) a page, `nextCursor` (opaque) for the next; `status=parked` lists webhook calls that used up their retries and SMS no provider could send, with the reason; `caseId` one case\'s. The text in the caller\'s language; the complainant\'s phone shows masked. Naming another `unit` is 403 but for operators. Read from the deployment\'s notification log: locally the outbox, in AWS the table\'s. See [notifications](notifications.md).',
  },
  'GET /v1/categories': {
    who: 'anyone (public information)',
    notes: 'The category table with its windows in working days and the reason for each (`config/categories.json`), in `{items}`; see [categories](#categories) and the reasons in [the workflow](workflow.md#categories).',
  },
  'POST /v1/cases': {
    who: `${list(INTAKE_ROLES)}: a community for itself, the supervisor for a named community (\`originUnit\`)`,
    notes:
      'Without `assignedUnit` the routing rules choose the unit by category and the community\'s district; a community naming itself keeps the case (sign-off is implied and the handling window starts at once); otherwise `assignedUnit` must be a street office or a district or city department. ' +
      'Answers 201 with the case and a `location` header. With an `Idempotency-Key`, a retry within 24 hours gets the first answer again (same status, header `idempotent-replayed: true`) and never a second case; the same key with a different body is 409.',
  },
  'POST /v1/cases/preview': {
    who: `${list(INTAKE_ROLES)}, as for intake`,
    notes: 'Runs intake\'s rules on the same body and stores nothing: the unit the case would go to, whether the community keeps it, and its due dates, so an intake form can show them before submit. Refused exactly as intake would refuse the body.',
  },
  'GET /v1/cases': {
    who: 'any role; the list holds only what the caller may see',
    notes:
      'A community lists the cases it accepted, an agency or office the cases assigned to it (naming another `unit` is 403), or with `coHandling=true` the cases in which it owes a co-handling part. The supervisor, auditors and operators list a unit\'s cases (`unit`), a month\'s (`month`), or by default every open case by its next deadline; closed cases need `month` or `unit`. ' +
      'Every filter runs in the query — `status`, `tier`, `month`, `district`, `category`, `light` (as shown now), `q` (2–100 characters, in the title, description or address, or the start of the case id) and, for the supervisor only, the complainant\'s `phone` (anyone else: 400) — and reading goes on until the page holds `limit` items (default 20, at most 100), so a page is short only at the end: follow `nextCursor` until it is absent. `sort=light` lists red cases first, then yellow, then green. A cursor is bound to the query and every filter it came from (another filter\'s cursor is 400). See [listing](data-model.md#listing) and [lists at scale](scale.md#lists).',
  },
  'GET /v1/cases/summary': {
    who: 'the supervisor, auditors and operators over every open case (or one `unit`\'s); any other role its own unit\'s (naming another `unit` is 403)',
    notes:
      '`{open, byLight: {green, yellow, red}, byTier: {"0", "1", "2", "3"}, byDistrict, byCategory, asOf}`, narrowed by `district`, `category` and `unit`. Exact over every open case, also as deadlines pass between writes: counters kept in each write\'s transaction, corrected by the few cases whose light changed since (see [scale](scale.md)). Answers an `ETag`; `If-None-Match` with it answers 304 with no body while nothing changed.',
  },
  'GET /v1/cases/export': {
    who: '`supervisor`',
    notes:
      'Every case of the list `GET /v1/cases` would give with the same filters (`q`, `light`, `phone`, … — no `limit` or `cursor`), in its order, as CSV (UTF-8 with a byte-order mark): id, title, category, channel, district, units with their names, tier, status, light now, times. The header row and the units\' names follow `Accept-Language` (Chinese by default, English with `en`); the cells are otherwise the same. The complainant\'s name, phone and address only with `complainant=true`. A text cell that would start a formula (`= + - @`) is neutralised with a leading apostrophe. More than 100,000 cases, or a CSV over what one answer carries (6 MB less 64 KiB, about 19,000 cases: see [exports](scale.md#exports)): 400 saying how many cases matched, with a hint to narrow the filters; nothing cut short.',
  },
  'GET /v1/cases/{id}': {
    who: 'the units involved (the originating community and every unit that held the case), the supervisor, auditors and operators',
    notes: 'The light is computed now; `complainant` only for the units involved and the supervisor.',
  },
  'POST /v1/cases/{id}/sign-off': {
    who: 'the assigned unit',
    notes: 'The handling window starts at sign-off.',
  },
  'POST /v1/cases/{id}/progress': {
    who: 'the assigned unit, while the case awaits sign-off or is in progress',
    notes: 'Written straight to the timeline (201 with the event); changes no workflow state, so the clock keeps running. Takes no `Idempotency-Key`: a retried note is a second note.',
  },
  'POST /v1/cases/{id}/messages': {
    who: 'the parties of the case: its originating community, every unit that holds or held it, its co-handling units and the supervisor (not auditors or operators)',
    notes: 'Written straight to the timeline as `MESSAGE` (201 with the event) in any step; the addressees (`toUnits`, or every other party) are notified by SMS, email and webhook ([notifications](notifications.md)). A text over 2,000 characters is 400; a `toUnits` entry that is not a party of the case is 403. Takes no `Idempotency-Key`.',
  },
  'POST /v1/cases/{id}/resolve': {
    who: 'the assigned unit, once it has signed off',
    notes: 'The originating community then has 3 working days to evaluate it.',
  },
  'POST /v1/cases/{id}/escalate': {
    who: 'the assigned unit, once it has signed off, below tier 3',
    notes: 'The tiers: the district office of the case\'s district, the city office, the joint conference; the new tier has its own windows.',
  },
  'POST /v1/cases/{id}/return': {
    who: 'the assigned unit, at tier 0, before or after sign-off',
    notes: 'The supervision centre must reassign the case within one working day.',
  },
  'POST /v1/cases/{id}/evaluate': {
    who: 'the originating community, once another unit reported the result (a result the community reported itself is rated by the complainant or a follow-up call: 403)',
    notes: '`satisfied` closes the case; `unsatisfied` or `not-implemented` reopens it at the same unit (the second at a tier escalates). A rating the complainant gives inside the evaluation window counts over this one in the assessment ([docs/assessment.md](assessment.md)).',
  },
  'POST /v1/cases/{id}/follow-up': {
    who: 'the supervisor, on a result the originating community reported itself (a case it kept), once per result',
    notes: "回访: the complainant's answer on the phone. While the case waits for its evaluation it acts as a rating (`satisfied` closes the case, otherwise the community works on it again); on a closed case it is recorded and counts when the complainant did not rate in time. Another unit's result, or one the complainant already rated in time: 409.",
  },
  'POST /v1/cases/{id}/reopen': {
    who: 'the originating community or the supervisor, within the reopening window after the case closed (config/policy.json `reopenCalendarDays`, 30 days)',
    notes: 'The case goes back to the unit that reported the last result, at its tier, with a new handling window; its history stays, and the reopening is counted in that unit\'s assessment (`reopened`). It runs in a new execution, `<caseId>-r1`, `-r2`, …. An open case or a closed one past the window: 409.',
  },
  'POST /v1/cases/{id}/extension': {
    who: 'the assigned unit, once it has signed off, once per tier',
    notes: 'The supervisor approves (the due date moves) or refuses; the clock keeps running while the request waits.',
  },
  'POST /v1/cases/{id}/supervise': {
    who: '`supervisor`, while the case awaits sign-off, is in progress or is returned (extension decisions: while one is requested)',
    notes: '督办: `urge` (recorded, `URGED` alert to the unit, or to the co-handling unit named in `coHandler`), `reassign` (`toUnit` required: a community, street office, or district or city department other than the current one), `approve-extension` or `refuse-extension` of a waiting request, `waive-co-handler` (the part of the co-handler named in `coHandler` is no longer awaited).',
  },
  'POST /v1/cases/{id}/co-handlers': {
    who: 'the assigned unit, once it has signed off',
    notes: '协办: brings in co-handling units other than itself, each with its task and a window in working days. The case lists them in `coHandlers`; each part has its own sign-off and reply windows, warnings and deadline (`CO_HANDLER_WARNING`, `CO_HANDLER_OVERDUE`), and `resolve` is refused (409) while a part is still owed.',
  },
  'POST /v1/cases/{id}/co-handlers/{unit}/sign-off': {
    who: 'that co-handling unit: the `{unit}` in the path is the caller\'s own',
    notes: 'Acknowledges its part, optionally naming the person responsible; its reply window starts.',
  },
  'POST /v1/cases/{id}/co-handlers/{unit}/reply': {
    who: 'that co-handling unit, once it has signed off its part',
    notes: 'Answers on its part; the holder may resolve once every part is answered.',
  },
  'POST /v1/cases/{id}/co-handlers/{unit}/return': {
    who: 'that co-handling unit',
    notes: 'Gives its part back to the holder: not its remit.',
  },
  'POST /v1/cases/{id}/approval': {
    who: 'the unit that reported the result, while its approval is pending and within the handling window',
    notes: '一笔审批: names the leader who approved the result (`resolve` can name them at once, in `approvedBy`). Recorded once; written straight to the timeline (201 with the event), no workflow state changes.',
  },
  'GET /v1/track/{code}': {
    who: 'anyone holding the tracking code (the citizen gets it with the intake answer)',
    notes: `Built field by field, so nothing personal or internal shows: never the complainant, a handler's name or phone, notes or supervision records. A mistyped or unknown code is the same plain 404. Each client (by source address) has ${TRACK_BUDGET.perWindow} look-ups a ${TRACK_BUDGET.windowSeconds === 60 ? 'minute' : `${TRACK_BUDGET.windowSeconds} s`}; beyond that, 429 with \`Retry-After\`.`,
  },
  'POST /v1/track/{code}/evaluation': {
    who: 'anyone holding the tracking code and the PIN sent with the result (the complainant)',
    notes: `\`{pin, rating, comment?}\`, once per result (409 the second time). A wrong PIN, one of an earlier result, one spent by a reopening or one past the reopening window: 403, nothing changed. Five wrong PINs in a row lock the case's PIN for an hour: 429 with \`Retry-After\` (429 rather than 403: nothing is wrong with who asks, only how often, and the header says when to try again). Each client has ${TRACK_BUDGET.perWindow} requests a minute on each of the two PIN routes, apart from its look-ups. In the evaluation window the rating acts as the community's does and counts; after it, it is recorded.`,
  },
  'POST /v1/track/{code}/reopen': {
    who: 'anyone holding the tracking code and the PIN of the last result (the complainant), within the reopening window',
    notes: '`{pin, reason}`. As `POST /v1/cases/{id}/reopen`; the PIN is spent by it (the next result brings a new one). An open case or one past the window: 409, asked before the PIN; PIN refusals as for the evaluation.',
  },
  'GET /open311/v2/discovery.json': {
    who: "anyone",
    notes: "GeoReport v2 service discovery: the endpoint, its formats and how to get an api_key ([docs/open311.md](open311.md)).",
  },
  'GET /open311/v2/discovery.xml': {
    who: "anyone",
    notes: "The same, as XML.",
  },
  'GET /open311/v2/services.json': {
    who: "anyone",
    notes: "Every category as a service (`service_code` = category id), `metadata: true`: each has a definition.",
  },
  'GET /open311/v2/services.xml': {
    who: "anyone",
    notes: "The same, as XML.",
  },
  'GET /open311/v2/services/{file}': {
    who: "anyone",
    notes: "`{file}` is `<service_code>.json` or `.xml`: the attributes `occurred_at` (datetime) and `community` (the accepting community; required with the city hotline's key). Unknown code → 404.",
  },
  'GET /open311/v2/requests.json': {
    who: "anyone",
    notes: "Filters `service_request_id` (up to 50, comma separated; overrides the rest), `service_code`, `start_date`, `end_date` (at most 90 days apart; the last 90 days by default), `status` (`open`, `closed`); at most 1000, newest first. Each request shows its status, category, the responsible unit's name (`agency_responsible`), the due date (`service_notice`, `expected_datetime`) and times: never the description, the address, coordinates or anyone's name. Errors are `[{code, description}]`.",
  },
  'GET /open311/v2/requests.xml': {
    who: "anyone",
    notes: "The same, as XML.",
  },
  'POST /open311/v2/requests.json': {
    who: "anyone holding an `api_key` (issued to a community or to the city hotline: `npm run open311-key`)",
    notes: "Form fields as the spec names them (or a JSON object of them): `api_key`, `service_code`, `description`, `lat` + `long` or `address_string`, `first_name`, `last_name`, `phone`, `email`, `media_url`, `attribute[occurred_at]`, `attribute[community]`. The case is made as the key's unit makes it at `POST /v1/cases`; 201 with `[{service_request_id, token, service_notice}]`. 400 for a missing or bad field, 403 for an unknown or revoked key; nothing is stored then.",
  },
  'POST /open311/v2/requests.xml': {
    who: "anyone holding an `api_key`",
    notes: "The same, answered as XML.",
  },
  'GET /open311/v2/requests/{file}': {
    who: "anyone",
    notes: "`{file}` is `<service_request_id>.json` or `.xml` (the case id). Unknown → 404.",
  },
  'GET /open311/v2/tokens/{file}': {
    who: "anyone",
    notes: "`{file}` is `<token>.json` or `.xml`: the request a POST's token names (kept 90 days). Unknown → 404.",
  },
  'DELETE /v1/cases/{id}/complainant': {
    who: '`supervisor`',
    notes: 'Whatever step the case is in; the timeline records the erasure and the clock keeps running. 204 also when there was nothing to erase.',
  },
  'GET /v1/cases/{id}/execution': {
    who: '`supervisor`, `operator`',
    notes: 'What the console draws the workflow graph from. The current execution\'s history is read newest first, `limit` events a page (default 200, at most 1000), so `currentState` is true however long the history (a case ignored for months); `olderCursor` → `before` for the page of older events (`currentState` only on the first page). `path` holds the states of the page in the order entered. `consoleUrl` links to the execution in the AWS Step Functions console of its partition and region when deployed (none on the local stack). A case that outlives one execution continues in `<caseId>-c1`, `-c2`, …; the view follows the chain (`earlierExecutions`, each with its `consoleUrl`). Errors are given by name with a short message, never their cause. 404 when the case has no execution yet; a `before` it did not give, 400.',
  },
  'GET /v1/statistics': {
    who: '`supervisor`, `auditor`',
    notes:
      '`from` and `to` are Shanghai months (at most 36 months; over that, or backwards, 400); `by` is `month` (default), `district`, `street` (the street office of the accepting community), `category`, `channel` (how the case came in) or `unit` (the first unit that received it, 首办). Each row: `received`, `resolved`, `resolutionRate` (% of received), `resolvedInCommunity`, `satisfied`, `satisfactionRate` (% of resolved) as the monthly assessment counts them, `signOffHoursP50`/`P90` (routed cases, to their first sign-off), `resolveDaysP50`/`P90` (calendar days to the first result), `resolvedSameMonth` (resolved in the month the case arrived); rates and times are null where there is nothing to measure. Read from the case records of those months as they stand now (see [statistics](scale.md#statistics)). `format=csv` answers `text/csv` with the same columns, its header row in the caller\'s language (`Accept-Language`; the first column named by the breakdown); a CSV over what one answer carries is 400 (see [exports](scale.md#exports)).',
  },
  'GET /v1/reports/{month}': {
    who: list(REPORT_READERS),
    notes: 'The monthly assessment: the stored report (`source: "stored"`) once the monthly job has run; before that, or for the running month, computed now (`source: "computed"`, and `provisional: true` for the running month). A month that has not begun is 404. `?format=csv` answers `text/csv` as a download, a row per scope (city, district, tier, category, unit), its header row and scope column in the caller\'s language (`Accept-Language`). See [the assessment](assessment.md).',
  },
  'POST /v1/cases/{id}/mediation': {
    who: 'the unit holding the case, while it signs it off or handles it; or the accepting community at intake (before the holder signed it off)',
    notes: '移交调解, `{body, note}`: `body` is a unit of kind `mediation-committee` (another kind, or a sector committee for another category: 400; one that already declined or failed this case: 409). The body must accept within the category\'s sign-off window; while it holds the case the holder\'s clock waits and the case is in the workflow\'s `mediation` wait (`MEDIATION_WARNING`, `MEDIATION_OVERDUE`). See [mediation](mediation.md).',
  },
  'POST /v1/cases/{id}/mediation/accept': {
    who: '`mediator` of the body the case was referred to (any other: 403)',
    notes: 'Its mediation window starts: the category\'s handling window (a traffic accident: 21 working days, about a month).',
  },
  'POST /v1/cases/{id}/mediation/decline': {
    who: '`mediator` of the body the case was referred to',
    notes: '`{reason}`. The case goes back to the holder with a new window; the same body cannot be asked again (409).',
  },
  'POST /v1/cases/{id}/mediation/sessions': {
    who: '`mediator` of the body, once it accepted',
    notes: '`{at, record, participants?: [{role, name}], place?}`. Each session is a record in the case\'s file (`session-record-N`).',
  },
  'POST /v1/cases/{id}/mediation/outcome': {
    who: '`mediator` of the body, after at least one session',
    notes: '`agreement`: `terms`, `signed: true` and `signedAt` are required (400 without), `amounts` each above zero, to the fen, at most 50,000,000 yuan (400 otherwise), `performBy` (default: the latest payment\'s day). The agreement is reported (MEDIATION_AGREEMENT notification) to the holder and to the bodies its category names (a traffic accident: the traffic police); the workflow then waits for the fulfilment by `performBy`. `failed`: `reason` and `advice` (`litigation`, `arbitration`, `administrative-decision`) are required; the case goes back to the holder.',
  },
  'POST /v1/cases/{id}/mediation/fulfilment': {
    who: '`mediator` of the body, after an agreement',
    notes: '`{fulfilled, note}`. Either way the case goes back to the holder with a new window; not fulfilled raises `MEDIATION_UNFULFILLED` to the holder.',
  },
  'GET /v1/cases/{id}/documents/{document}': {
    who: 'the units that hold, held, accepted or mediate the case, and `supervisor` (anyone else: 403, the documents name the parties)',
    notes: 'The case lists its file in `documents: [{kind, at, href, title}]`: `application`, `registration`, `rights-notice`, `session-record-1`…, `agreement`, `delivery-receipt`, `follow-up`. Each is `text/html` in Chinese with a print stylesheet, written from the case when asked. A document the case does not have yet: 404.',
  },
  'GET /v1/statistics/mediation': {
    who: '`supervisor`, `auditor`, `mediator`',
    notes: '`from`, `to` (yyyy-mm, at most 24 months): the cases received in those months. `total`, `byChannel`, `byBody`: `received`, `mediated`, `declined`, `agreements`, `failed`, `successRate`, `concludedInTime`, `fulfilled`, `unfulfilled`, `amountYuan`; `byLevel`: agreements by the level of the body (group, community, street, above); `targets`: each goal of config/mediation.json with its `value`, whether it is `met` and what it is counted `of`.',
  },
  'GET /v1/reports': {
    who: list(REPORT_READERS),
    notes: 'A period of months (`from`..`to`): the cases received in those months, every month measured at the end of the period. `?format=csv` as above.',
  },
};

/** What a field means, where its name and type do not say it. Keyed by `Schema.path`. */
const FIELD_NOTES: Record<string, string> = {
  'Case.id': 'a ULID: 26 characters, time-ordered; also the name of the case\'s workflow execution',
  'Case.category': 'see [categories](#categories)',
  'Case.complainant': 'personal data: shown only to the units involved and the supervisor; erased three years after the case closes, or on request',
  'Case.originUnit': 'the community that accepted the case',
  'Case.district': 'the originating community\'s district',
  'Case.assignedUnit': 'the unit that must act now',
  'Case.firstHandlerUnit': 'the first unit that received the case (首办负责): it answers for the case in the monthly scores',
  'Case.involvedUnits': 'every unit that held the case, and the originating community',
  'Case.tier': '0 the first unit, 1 district office, 2 city office, 3 joint conference',
  'Case.status': '`returned` waits for the supervision centre to reassign it',
  'Case.light': 'computed on every read from the due dates and the clock: yellow from 75 % of the active window, red at or past its deadline',
  'Case.createdAt': 'every time is ISO 8601 with its offset (`+08:00`, Asia/Shanghai)',
  'Case.windowStartedAt': 'when the active window (sign-off, handling, evaluation) started',
  'Case.handler': 'who signed the case off for the unit',
  'Case.resolution': 'the unified reply (统一回告): the result the unit reported',
  'Case.firedMilestones': 'warnings and deadlines already fired in the current window',
  'Case.signOffBreaches': 'sign-off breaches at the current tier: the second escalates',
  'Case.unsatisfiedCount': 'unsatisfied ratings at the current tier: the second escalates',
  'Case.extension': 'the one extension request of this tier',
  'Case.metrics': 'lifetime counts kept for the [monthly assessment](assessment.md)',
  'Case.allowedActions': 'the actions this caller may take on the case now; clients offer exactly these',
  'Case.supervisionActions': 'for the supervisor: which `supervise` actions fit now',
  'Case.coHandlers': 'the co-handling parts (协办), one per unit brought in, each with its own windows and light',
  'Case.holdings': 'each unit\'s part in the case, as the [monthly assessment](assessment.md#scopes) credits it',
  'Case.trackingCode': 'what the citizen follows the case with (`GET /v1/track/{code}`); `XXXX-XXXX-C`: 40 random bits in Crockford base 32 and a check character that catches any single wrong character; reading it forgives case, spaces, hyphens and O/0, I/L/1 slips',
  'Case.timeline': 'every action and alert, in order; in `GET /v1/cases/{id}` and the intake answer, not in lists',
  'CreateCaseBody.assignedUnit': 'without it the routing rules choose; a community naming itself keeps the case',
  'CreateCaseBody.originUnit': 'the accepting community: required when the supervisor enters a case for one; a community may name only itself',
  'CreateCaseBody.occurredAt': 'when the incident happened, if not now',
  'TimelineEvent.type': 'what happened: `CASE_ACCEPTED`, `SIGNED_OFF`, `PROGRESS`, an alert type, …',
  'TimelineEvent.actor': 'who acted: unit and role, and the person (the token\'s `sub`, and the name they gave where they gave one)',
  'Problem.type': 'a URL naming the kind of problem',
  'Alert.caseId': 'null for `REPORT_PUBLISHED`',
  'Alert.unit': 'the unit the alert concerns',
  'Alert.tier': 'the case\'s tier; also a message attribute',
  'Alert.dueAt': 'the deadline the alert is about, if any',
  'Alert.at': 'when it fired',
  'Alert.code': 'the alert type, as on the timeline',
  'Alert.params': 'what the texts are written from, for a client that writes its own',
  'Alert.detail': 'the text in Chinese, with unit names and Asia/Shanghai times',
  'Alert.detailEn': 'the same in English',
  'Alert.district': 'the case\'s district; also a message attribute',
  'Alert.audience': 'the units the alert\'s notifications are for (the unit itself, the originating community, the supervision centre, the joint conference, by the notification rules); also a message attribute (String.Array)',
  'TimelineEventView.code': 'stable: what happened (`CASE_ACCEPTED`, `SIGNED_OFF`, `PROGRESS`, an alert type, …)',
  'TimelineEventView.params': 'what the text is written from, for a client that writes its own',
  'TimelineEventView.text': 'for people, in the caller\'s language',
  'TimelineEventView.by': 'the person who acted: the token\'s `sub`, and the name they gave where they gave one',
  'Problem.detail': 'what was wrong, in words; never a stack trace',
  'Problem.errors': 'for invalid input: each offending field\'s dotted path (`complainant.phone`; empty for the whole body) and what is wrong with it',
};

/** What each alert means. Keyed by alert type. */
const ALERT_MEANINGS: Record<string, string> = {
  SIGN_OFF_WARNING: 'the sign-off window is 75 % gone',
  SIGN_OFF_OVERDUE: 'the sign-off deadline passed: red light, a supervision record and a second window; a second breach escalates',
  HANDLING_WARNING: 'the handling window is 50 % gone (to the unit) or 75 % gone (to the unit and the supervision centre)',
  HANDLING_OVERDUE: 'the handling deadline passed: red light, a supervision record, escalation to the next tier',
  ESCALATED: 'the case moved up one tier',
  EVALUATION_UNSATISFIED: 'the community rated the result unsatisfied or not implemented; the case reopens',
  CONFERENCE_REQUIRED: 'the case reached the joint conference (tier 3): city leaders must be convened',
  URGED: 'the supervisor urged the unit (督办); an addition to the first list',
  REROUTE_OVERDUE: 'a returned case was not reassigned within one working day; an addition to the first list',
  CO_HANDLER_WARNING: 'a co-handling unit\'s part is nearing the end of its sign-off or reply window (to that unit); an addition to the first list',
  CO_HANDLER_OVERDUE: 'a co-handling unit\'s part ran out of time: red, a supervision record, and a new window for that part; an addition to the first list',
  MEDIATION_WARNING: 'the mediation body holding the case is nearing the end of its acceptance or mediation window (to that body); an addition to the first list',
  MEDIATION_OVERDUE: 'the mediation body ran out of time (to accept, to conclude, or to record the fulfilment): red, a supervision record, a new window; an addition to the first list',
  MEDIATION_UNFULFILLED: 'a mediation agreement was not carried out: the holder gets the case back; an addition to the first list',
};

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (value: unknown) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
const anchorOf = (name: string) => name.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
const refName = (ref: string) => ref.replace('#/components/schemas/', '');

/** Bounds that only say "a safe integer" add nothing. */
const meaningful = (bound: number | undefined) => (bound !== undefined && Math.abs(bound) < Number.MAX_SAFE_INTEGER ? bound : undefined);

function describeType(schema: JsonSchema): string {
  if (schema.$ref) return `[${refName(schema.$ref)}](#${anchorOf(refName(schema.$ref))})`;
  if (Array.isArray(schema.type)) return schema.type.map((type) => describeType({ ...schema, type })).join(' or ');
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    if (variants.every((v) => v.const !== undefined)) return variants.map((v) => code(v.const)).join(' or ');
    return variants.map(describeType).join(' or ');
  }
  if (schema.enum) return schema.enum.map(code).join(' or ');
  if (schema.const !== undefined) return code(schema.const);
  const limits: string[] = [];
  switch (schema.type) {
    case 'string':
      if (schema.format === 'date-time') return 'time (ISO 8601 with offset)';
      if (schema.minLength !== undefined || schema.maxLength !== undefined) {
        limits.push(`${schema.minLength ?? 0}–${schema.maxLength ?? '∞'} characters`);
      }
      if (schema.pattern) limits.push(`matching ${code(schema.pattern)}`);
      return ['string', ...limits].join(', ');
    case 'number':
    case 'integer': {
      const low = schema.exclusiveMinimum !== undefined ? `> ${schema.exclusiveMinimum}` : meaningful(schema.minimum) !== undefined ? `≥ ${schema.minimum}` : undefined;
      const high = meaningful(schema.maximum) !== undefined ? `≤ ${schema.maximum}` : undefined;
      for (const bound of [low, high]) if (bound) limits.push(bound);
      if (schema.multipleOf !== undefined) limits.push(`a multiple of ${schema.multipleOf}`);
      return [schema.type === 'integer' ? 'integer' : 'number', ...limits].join(', ');
    }
    case 'array':
      return `array of ${schema.items ? describeType(schema.items) : 'anything'}`;
    case 'object':
      return schema.properties ? 'object' : 'object (any keys)';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    default:
      return 'any';
  }
}

interface FieldRow {
  path: string;
  type: string;
  required: boolean;
  note?: string;
}

/**
 * One row per field, nested objects (and objects in arrays, as `name[].field`) flattened. A
 * field is required in its parent: a nested required field must be there when its parent is.
 * A block of fields repeated from one shown above (the report's scopes share their counts) is
 * one row naming where they are shown.
 */
function fieldsOf(schema: JsonSchema, prefix = '', shown = new Map<string, string>()): FieldRow[] {
  const rows: FieldRow[] = [];
  const required = new Set(schema.required ?? []);
  const signature = (name: string, property: JsonSchema) => `${name}:${JSON.stringify(property)}`;
  const entries = Object.entries(schema.properties ?? {});
  const earlier = entries.map(([name, property]) => shown.get(signature(name, property)));
  const repeatedFrom = earlier.find((where) => where !== undefined && where !== '' && earlier.filter((w) => w === where).length >= 3);
  if (repeatedFrom !== undefined) {
    const count = earlier.filter((where) => where === repeatedFrom).length;
    rows.push({ path: `${prefix}…`, type: `the ${count} fields of \`${repeatedFrom.replace(/\.$/, '')}\` above`, required: true });
  }
  entries.forEach(([name, property], index) => {
    if (repeatedFrom !== undefined && earlier[index] === repeatedFrom) return;
    const path = `${prefix}${name}`;
    if (!shown.has(signature(name, property))) shown.set(signature(name, property), prefix);
    rows.push({ path, type: describeType(property), required: required.has(name) });
    if (property.type === 'object' && property.properties) rows.push(...fieldsOf(property, `${path}.`, shown));
    if (property.type === 'array' && property.items?.type === 'object' && property.items.properties) {
      rows.push(...fieldsOf(property.items, `${path}[].`, shown));
    }
  });
  return rows;
}

function fieldTable(schemaName: string, schema: JsonSchema): string {
  const rows = fieldsOf(schema).map((row) => {
    const key = `${schemaName}.${row.path}`;
    const note = FIELD_NOTES[key];
    return `| \`${row.path}\` | ${escapeCell(row.type)} | ${row.required ? 'yes' : 'no'} | ${note ? escapeCell(note) : ''} |`;
  });
  return ['| field | type | required | notes |', '|---|---|---|---|', ...rows].join('\n');
}

const successOf = (op: OperationDoc) => {
  const [status, response] = Object.entries(op.responses).find(([s]) => s.startsWith('2'))!;
  const schema = response.content?.['application/json']?.schema;
  return { status, description: response.description, schema };
};

const problemsOf = (op: OperationDoc) => Object.keys(op.responses).filter((s) => !s.startsWith('2'));

function routeSection(route: RouteDefinition, op: OperationDoc): string {
  const rules = ROUTE_RULES[routeKey(route)];
  const success = successOf(op);
  const lines = [`### \`${routeKey(route)}\``, '', op.summary + '.', ''];
  lines.push(`- **Who**: ${rules.who}; ${route.public ? 'no token' : 'a bearer token'}.`);
  lines.push(`- **Answers**: ${success.status} ${success.description}${success.schema ? `, ${describeType(success.schema)}` : ''}.`);
  const problems = problemsOf(op);
  lines.push(`- **Refusals**: ${[...problems, '429 when throttled'].join(', ')}; see [status codes](#status-codes).`);
  if (rules.notes) lines.push(`- ${rules.notes}`);
  if (op.parameters.length) {
    lines.push('', '| parameter | in | type | required |', '|---|---|---|---|');
    for (const p of op.parameters) lines.push(`| \`${p.name}\` | ${p.in} | ${escapeCell(describeType(p.schema))} | ${p.required ? 'yes' : 'no'} |`);
  }
  const body = op.requestBody?.content['application/json']?.schema;
  if (body) lines.push('', `Body: ${describeType(body)}.`);
  return lines.join('\n');
}

export function renderApiReference(): string {
  const document = buildOpenApiDocument() as {
    info: { version: string };
    paths: Record<string, Record<string, OperationDoc>>;
    components: { schemas: Record<string, JsonSchema> };
  };
  const opOf = (route: RouteDefinition) => document.paths[route.path][route.method.toLowerCase()];

  // A route or alert type without its text stops the generator. Text for one that does not exist
  // (yet, or any more) is left out of the page: routes and alerts are added alongside this file.
  const missing = ROUTES.map(routeKey).filter((key) => !ROUTE_RULES[key]);
  if (missing.length) {
    throw new Error(`Routes without a ROUTE_RULES entry (who may call it) in scripts/api-reference.ts: ${missing.join(', ')}. Write it there, then run npm run docs:api.`);
  }
  const alertsMissing = ALERT_TYPES.filter((type) => !ALERT_MEANINGS[type]);
  if (alertsMissing.length) {
    throw new Error(`Alert types without an ALERT_MEANINGS entry in scripts/api-reference.ts: ${alertsMissing.join(', ')}. Write it there, then run npm run docs:api.`);
  }

  // The shapes the routes use, in order of first use, and the shapes they refer to.
  const shapes: string[] = [];
  const collect = (schema: JsonSchema | undefined): void => {
    if (!schema) return;
    if (schema.$ref) {
      const name = refName(schema.$ref);
      if (shapes.includes(name)) return;
      shapes.push(name);
      collect(document.components.schemas[name]);
      return;
    }
    for (const nested of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...Object.values(schema.properties ?? {}), schema.items]) collect(nested);
  };
  for (const route of ROUTES) {
    const op = opOf(route);
    collect(op.requestBody?.content['application/json']?.schema);
    for (const response of Object.values(op.responses)) {
      for (const content of Object.values(response.content ?? {})) collect(content.schema);
    }
  }

  const routeTable = ROUTES.map((route) => {
    const op = opOf(route);
    return `| [\`${routeKey(route)}\`](#${anchorOf(routeKey(route))}) | ${escapeCell(ROUTE_RULES[routeKey(route)].who)} | ${escapeCell(op.summary)} | ${successOf(op).status} |`;
  });
  const shapeSections = shapes.map((name) => {
    const schema = document.components.schemas[name];
    const intro = name === 'AssessmentReport' ? '\nEvery score is defined in [the assessment](assessment.md#what-is-counted-and-when).\n' : '';
    return `### ${name}\n${intro}\n${fieldTable(name, schema)}`;
  });
  // AlertSchema carries an id, so its JSON Schema is a reference into its own $defs.
  const alertJson = z.toJSONSchema(AlertSchema, { io: 'output' }) as JsonSchema;
  const alertSchema = alertJson.$ref ? alertJson.$defs![refName(alertJson.$ref).replace('#/$defs/', '')] : alertJson;
  const alertTable = fieldTable('Alert', alertSchema);

  const roleRows = Object.entries(ROLE_OF_UNIT_KIND).map(([kind, role]) => `| \`${kind}\` | \`${role}\` |`);

  return `<!-- Generated by \`npm run docs:api\` (scripts/api-reference.ts) from the OpenAPI document, functions/api/routes.ts, the roles and the alert types. Edit those, not this file. -->
# API reference (version ${document.info.version.split('.')[0]})

The HTTP API every client uses: the supervision console, agencies' own systems, the monthly
report readers. The OpenAPI 3.1 document the API serves at \`GET /v1/openapi.json\` is built from
the same zod schemas the handlers validate with, and so is this page: neither can describe a
request the API would refuse. The API may grow (new routes, new fields); what is here changes
only with a reason written in these documents.

- [Conventions](#conventions) · [Status codes](#status-codes) · [Errors](#errors) ·
  [Routes](#routes) · [Shapes](#shapes) · [Units](#units) · [Categories](#categories) ·
  [Roles and identity](#roles-and-identity) · [Alerts](#alerts) ·
  [Local-only endpoints](#local-only-endpoints)

## Conventions
- JSON in and out, UTF-8; request bodies as \`application/json\` (a body sent as another type is 415), at most
  ${MAX_BODY_BYTES / 1024} KiB (413). Unknown fields are refused (400), never ignored.
- Every response carries \`x-request-id\`: the caller's own \`x-request-id\` when it sent one (up to
  128 characters), otherwise API Gateway's request id. Logs carry the same id.
- Every route but ${ROUTES.filter((r) => r.public).map((r) => `\`${r.path}\``).join(', ')} needs
  \`authorization: Bearer <JWT>\` ([roles and identity](#roles-and-identity)); those answer anyone.
- Lists are \`{items, nextCursor?}\` everywhere; pass \`nextCursor\` back as \`cursor\` for the next page.
- Texts written for people (a problem's \`title\` and \`detail\`, a field error's \`message\`, the
  \`text\` of a timeline event) follow \`Accept-Language\`: \`zh-CN\` (the default) or \`en\`; they name
  units by name and give times in Asia/Shanghai. Timeline events and alerts also carry a stable
  \`code\` and its \`params\`, so a client can write its own text.
- Times are ISO 8601 with their offset, \`+08:00\` (Asia/Shanghai); windows count
  [working days](workflow.md#working-days).
- Case actions are applied by the case's workflow: the API checks that the action fits the case
  and the caller, delivers it, and answers **202** \`{caseId, action, status: "accepted"}\`; the
  case shows the result once applied (read it again).
- **\`Idempotency-Key\`** (1–128 letters, digits or \`_ . : -\`) makes a retry safe. On intake a
  retry within 24 hours with the same key and body gets the first answer and never a second case;
  on an action, the case remembers its last ${REMEMBERED_REQUESTS} keyed actions, so a retry after a lost answer is
  202 again instead of 409. Replays carry \`idempotent-replayed: true\`; the same key for a
  different request is 409. Progress notes take no key.
- Nothing is written before all input is valid: a refused request changes nothing.

## Status codes
| status | when |
|---|---|
| 200 | ok: a read |
| 201 | created: a case (intake) or a progress note |
| 202 | accepted: an action delivered to the workflow, which applies it |
| 204 | done, nothing to send: a complainant erased |
| 400 | bad input: malformed JSON, a field missing, of the wrong type or unknown, a bad path, query or header |
| 401 | no token, or a bad one |
| 403 | not yours: the role or the unit may not do this (a token whose unit is not in the directory, or whose role does not fit its unit, too) |
| 404 | unknown case or tracking code, or a report month that has not begun |
| 409 | the action does not fit the case's current step (resolve before sign-off, a second sign-off, a resolve from a unit the case has left), or an \`Idempotency-Key\` reused for another request |
| 413 | body over ${MAX_BODY_BYTES / 1024} KiB |
| 415 | a body that is not \`application/json\` |
| 429 | throttled: by API Gateway, before any function runs (the limits are set in \`infra/constructs/http-api.ts\`), or a client over its budget of tracking look-ups (with \`Retry-After\`) |
| 500 | the request could not be completed; it is logged with its request id |
| 503 | \`/health\` only: the store or the workflow engine does not answer |

## Errors
Every refusal is an RFC 9457 problem document, \`application/problem+json\`:
\`{type, title, status, detail}\`, and for invalid input \`errors: [{path, message}]\` with each
offending field's dotted path. No error ever carries a stack trace or an internal message: a 500
says only that the request failed and was logged. In AWS, a request without a valid token is
refused by API Gateway itself with its own 401 body (HTTP APIs cannot shape it), before any
function runs. The shape is [Problem](#problem).

## Routes
| method and path | who may call | what it does | success |
|---|---|---|---|
${routeTable.join('\n')}

${ROUTES.map((route) => routeSection(route, opOf(route))).join('\n\n')}

## Shapes
Fields, types and limits as the OpenAPI document gives them. \`required\`: in a request, what
must be sent; in an answer, what is always there; a nested field is required when its parent is
there.

${shapeSections.join('\n\n')}

## Units
\`GET /v1/units\` lists every unit: \`id\` (readable kebab-case), \`name\` (official, simplified
Chinese), \`nameEn\`, \`kind\`, \`tier\` (0 for ordinary units, 1/2/3 for the district office, city
office and joint conference, null for the supervision centre), \`parent\` and \`district\`
([UnitList](#unitlist)). Kinds: ${Object.keys(ROLE_OF_UNIT_KIND).map((k) => `\`${k}\``).join(', ')}.

## Categories
\`GET /v1/categories\` lists every category: \`id\`, \`name\`, \`nameEn\`, \`signOffWorkingDays\`,
\`handlingWorkingDays\` and \`rationale\` ([CategoryList](#categorylist)); the table and its
reasons are in [the workflow](workflow.md#categories).

## Roles and identity
A bearer JWT whose claims carry \`sub\` (the person), \`unit\` (a unit id from the directory) and
\`role\`, one of ${list(ROLES)}. In AWS the HTTP API's JWT authorizer checks signature, issuer,
audience and expiry; on the local stack the local API makes the same checks against its own
key pair, and \`npm run token -- --unit <id> --role <role>\` prints a token. Each handler then
refuses (403) a token whose unit is not in the directory or whose role does not fit the kind of
its unit:

| unit kind | signs in as |
|---|---|
${roleRows.join('\n')}

${list(OVERSIGHT_ROLES)} belong to the supervision centre or the city office: they read every
case, never a complainant's personal data, and act on none. What each role may do is in
[identity and access](identity.md#roles).

## Alerts
Each alert is one SNS message on the alert topic. Its body is JSON ([Alert](#alert) below); its
message attributes \`type\` (String) and \`tier\` (Number) are there for subscription filter
policies (the city leadership's subscription, for instance, takes \`CONFERENCE_REQUIRED\` and
tier ≥ 2); a case's alerts also carry \`unit\` (String, the unit it concerns), \`district\` (String,
the case's district) and \`audience\` (String.Array, the units the alert's notifications are for),
on which each unit's own email subscriptions filter ([notifications](notifications.md)). Alerts carry no personal data. Every alert is also written on the case's timeline.

### Alert
${alertTable}

| type | meaning |
|---|---|
${ALERT_TYPES.map((type) => `| \`${type}\` | ${escapeCell(ALERT_MEANINGS[type])} |`).join('\n')}
| \`${REPORT_PUBLISHED}\` | a monthly assessment was published: \`caseId\` and \`dueAt\` are null, \`unit\` is the supervision centre, \`tier\` 0, and \`report\` carries the month, its cutoff, the city's headline figures, the top units and the stored files; an addition to the first list |

The first list of alert types was the first seven; the others are additions, and clients should
ignore types they do not know.

## Local-only endpoints
\`npm start\` serves the API on \`http://127.0.0.1:3000\` (or \`PORT\`) with these controls beside it.
None of them exists in AWS. A POST to them must be \`content-type: application/json\` (415
otherwise), a request from another web origin is refused (403), and every request to the stack
must name it as its Host (421 otherwise).

| method and path | what it does |
|---|---|
| \`GET /_local/clock\` | the virtual clock: \`{now, nowMs, timeScale, pendingTimers}\` |
| \`POST /_local/clock/advance\` | body \`{"seconds": N}\` (0 to ten years): moves the clock forward and fires every timer due, in order; answers \`{now, nowMs, fired}\` |
| \`GET /_local/alerts\` | every alert the local SNS delivered, oldest first, each with its \`messageId\` and \`attributes\`; \`?caseId=\` and \`?type=\` filter |
| \`GET /_local/notifications\` | every SMS, email and webhook call the stack made, oldest first, each notification id once; \`?to=\`, \`?unit=\` and \`?caseId=\` filter ([notifications](notifications.md)) |
| \`POST /_local/token\` | body \`{unit, role, sub?, hours?}\` as \`application/json\`: \`{token}\` signed with the local keys, as \`npm run token\` does (the console's local sign-in) |
| \`GET /console/\` | the [supervision console](console.md), and its \`config.json\` |

See [the local stack](local-stack.md) for the clock, the local Step Functions service and the
local SNS's HTTP subscribers.
`;
}

if (require.main === module) {
  const next = renderApiReference();
  const current = (() => {
    try {
      return readFileSync(API_REFERENCE_FILE, 'utf8');
    } catch {
      return undefined;
    }
  })();
  if (current !== next) writeFileSync(API_REFERENCE_FILE, next);
  console.log(current === next ? 'docs/api.md is up to date.' : 'docs/api.md written.');
}
