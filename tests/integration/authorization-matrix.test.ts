import { generateKeyPair, SignJWT } from 'jose';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { issueOpen311Key } from '../../functions/open311/keys';
import { Open311KeyStore } from '../../functions/store/open311-key-store';
import { createHash } from 'node:crypto';
import { startTestStack, type TestStack } from '../support/local-stack';
import { ROUTES } from '../../functions/api/routes';
import { ROLES } from '../../functions/domain/roles';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../local/jwt';
import {
  BODY,
  CaseFactory,
  U,
  expectNoLeak,
  expectProblem,
  expectStatus,
  is2xx,
  label,
  maySeePersonalData,
  mayRead,
  seesAllCases,
  who,
  type CaseJob,
  type Reply,
  type Step,
  type Who,
} from '../support/authorization-matrix';

/*
 * Authorization matrix: every endpoint × every role × own / other unit → the expected status,
 * as tables in code, run against the local stack (the deployed handler modules, the JWT check,
 * DynamoDB Local and the workflow on the local Step Functions). The expectations come from
 * the public contract (docs/api.md) and docs/identity.md, not from the code:
 *   401 no or bad token · 403 not yours (wrong role or unit, or a token whose role does not fit
 *   its unit) · 404 unknown case · 409 allowed, but the action does not fit the case's step.
 * A caller that is not allowed gets 403 whatever step the case is in, so every row of an action
 * route is run twice: on a case in the step the action fits (allowed → 2xx) and on a case of the
 * same unit in a step it does not fit (allowed → 409, not allowed → still 403).
 *
 * The auditor and the operator only read (docs/identity.md), so they get 403 for every action even where
 * their unit is the assigned one. The supervision centre is the assigned unit of a returned case,
 * but the supervisor does not handle cases: it acts there only by urging or reassigning (403 else).
 *
 * Then listing and reading: every role lists exactly the cases it may see, never another unit's,
 * whatever query parameters it adds, and the complainant's personal data is in an answer only
 * for the units involved and the supervisor (never for the auditor or the operator).
 */

let t: TestStack;
let f: CaseFactory;

/** A tracking code of a case made for the public route's row. */
let trackedCode = '';
/** An Open311 api_key of community C1, and a request it posted, for the Open311 rows. */
let open311Key = '';
let open311Request = { id: '', token: '' };

beforeAll(async () => {
  t = await startTestStack('authz');
  f = new CaseFactory(t);
});

/** Made after the listings ran (they expect exactly their own cases): a case to track, for the public route's rows. */
async function ensureTrackedCode(): Promise<void> {
  if (trackedCode) return;
  const tracked = await f.sharedCase('handling', U.A1);
  trackedCode = (await t.call('GET', `/v1/cases/${tracked}`, { token: await t.token('supervision-centre', 'supervisor') })).body.trackingCode;
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  open311Key = (await issueOpen311Key(new Open311KeyStore(client, process.env.CASES_TABLE as string), U.C1, Date.now())).apiKey;
  client.destroy();
  const posted = await t.call('POST', '/open311/v2/requests.json', { body: open311Body() });
  open311Request = { id: posted.body[0].service_request_id, token: posted.body[0].token };
}
/** An Open311 request as a client posts it (JSON, which the route takes as well as a form). */
const open311Body = () => ({ api_key: open311Key, service_code: 'routine', description: '路灯不亮', address_string: '胜利四路' });
afterAll(() => t?.stop());

type RouteKey = `${'GET' | 'POST' | 'DELETE'} ${string}`;
const routeKey = (route: { method: string; path: string }) => `${route.method} ${route.path}` as RouteKey;

/* ======================================================================================
 * Callers and the case each one is given ("columns").
 *
 * "assigned": the caller's unit is the case's assigned unit (for a community: a case it keeps,
 *   or one the supervisor reassigned to it; it is also the origin) — own for sign-off, progress,
 *   resolve, escalate, return and extension.
 * "accepted": the community accepted the case and it went to its street office — own for
 *   evaluate and for reading; not the assigned unit.
 * "held": the caller's unit held the case and escalated it: a party, no longer the assigned unit.
 *   Its read is allowed; an action of the assigned unit from it is a stale callback, which the
 *   workflow answers with 409 (docs/workflow.md: "A stale or duplicate callback (a second sign-off, a resolve after
 *   escalation) finds the case in another step and gets 409"). A community never held a case it
 *   sent on to its street office ("accepted"): an action of the assigned unit from it is 403.
 * "other": a case the caller's unit has no part in, at a unit of the same role (C2 for C1, A2 for
 *   A1, D2 for D1). There is one city office and one joint conference, so for them "other" is a
 *   case that has not reached them (at D1, or at the city office).
 * supervisor, auditor and operator of the supervision centre are city-wide: "city-wide" is a
 *   case at A1 (the centre is no party to it); "assigned" is a case A1 returned, which waits at
 *   the centre for re-routing (the centre is its assigned unit) — always in that step.
 * The auditor and operator roles may also be held by staff of the city office: their
 *   "assigned" is a case escalated to the city office, "other" one at D1.
 * ====================================================================================== */
interface Column {
  readonly who: Who;
  /** The unit the case is at (for `returned`: the tier-0 unit that returned it). */
  readonly at: string;
  readonly returned?: true;
}

const COLUMNS = {
  'community/assigned': { who: who('community', U.C1), at: U.C1 },
  'community/accepted': { who: who('community', U.C1), at: U.A1 },
  'community/other': { who: who('community', U.C1), at: U.C2 },
  'agency/assigned': { who: who('agency', U.A1), at: U.A1 },
  'agency/held': { who: who('agency', U.A1), at: U.D1 },
  'agency/other': { who: who('agency', U.A1), at: U.A2 },
  'district-office/assigned': { who: who('district-office', U.D1), at: U.D1 },
  'district-office/held': { who: who('district-office', U.D1), at: U.CO },
  'district-office/other': { who: who('district-office', U.D1), at: U.D2 },
  'city-office/assigned': { who: who('city-office', U.CO), at: U.CO },
  'city-office/held': { who: who('city-office', U.CO), at: U.CF },
  'city-office/other': { who: who('city-office', U.CO), at: U.D1 },
  'conference/assigned': { who: who('conference', U.CF), at: U.CF },
  'conference/other': { who: who('conference', U.CF), at: U.CO },
  'supervisor/city-wide': { who: who('supervisor', U.SC), at: U.A1 },
  'supervisor/assigned': { who: who('supervisor', U.SC), at: U.A1, returned: true },
  'auditor/city-wide': { who: who('auditor', U.SC), at: U.A1 },
  'auditor/assigned': { who: who('auditor', U.SC), at: U.A1, returned: true },
  'operator/city-wide': { who: who('operator', U.SC), at: U.A1 },
  'operator/assigned': { who: who('operator', U.SC), at: U.A1, returned: true },
  'auditor@city-office/assigned': { who: who('auditor', U.CO), at: U.CO },
  'auditor@city-office/other': { who: who('auditor', U.CO), at: U.D1 },
  'operator@city-office/assigned': { who: who('operator', U.CO), at: U.CO },
  'operator@city-office/other': { who: who('operator', U.CO), at: U.D1 },
  // A mediation committee: the body the case at A1 is referred to (in a mediation step), and one it is not referred to.
  'mediator/referred': { who: who('mediator', U.M1), at: U.A1 },
  'mediator/other': { who: who('mediator', U.M2), at: U.A1 },
} satisfies Record<string, Column>;
type ColumnName = keyof typeof COLUMNS;

/** Where a column's case is in a given step: a `returned` column's case is always returned. */
const caseStepOf = (column: Column, step: Step): Step => (column.returned ? 'returned' : step);
/** The unit the case is assigned to, to pick a reassignment target that differs from it. */
const assignedUnitOf = (column: Column): string => (column.returned ? U.SC : column.at);

interface CaseRoute {
  readonly route: RouteKey;
  /** The step the action fits (for reads: any step; a handling case is used). */
  readonly step: Step;
  /** A step of the same case's life that the action does not fit. */
  readonly wrongStep?: Step;
  readonly request: (caseId: string, assignedUnit: string) => { method: 'GET' | 'POST' | 'DELETE'; path: string; body?: unknown };
  readonly expect: Record<ColumnName, number>;
}

const post = (segment: string, body: unknown | ((assignedUnit: string) => unknown)) => (id: string, assigned: string) => ({
  method: 'POST' as const,
  path: `/v1/cases/${id}/${segment}`,
  body: typeof body === 'function' ? (body as (a: string) => unknown)(assigned) : body,
});

/* ======================================================================================
 * THE MATRIX of the case routes. One entry per endpoint (supervise: one per action).
 * ====================================================================================== */
const CASE_MATRIX: Record<string, CaseRoute> = {
  'GET /v1/cases/{id}': {
    route: 'GET /v1/cases/{id}',
    step: 'handling',
    request: (id) => ({ method: 'GET', path: `/v1/cases/${id}` }),
    // Units involved, supervisor, auditor (and operator, docs/identity.md); 403 to anyone else — not 404.
    expect: {
      'community/assigned': 200, 'community/accepted': 200, 'community/other': 403,
      'agency/assigned': 200, 'agency/held': 200, 'agency/other': 403,
      'district-office/assigned': 200, 'district-office/held': 200, 'district-office/other': 403,
      'city-office/assigned': 200, 'city-office/held': 200, 'city-office/other': 403,
      'conference/assigned': 200, 'conference/other': 403,
      'supervisor/city-wide': 200, 'supervisor/assigned': 200,
      'auditor/city-wide': 200, 'auditor/assigned': 200,
      'operator/city-wide': 200, 'operator/assigned': 200,
      'auditor@city-office/assigned': 200, 'auditor@city-office/other': 200,
      'operator@city-office/assigned': 200, 'operator@city-office/other': 200,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'GET /v1/cases/{id}/execution': {
    route: 'GET /v1/cases/{id}/execution',
    step: 'handling',
    request: (id) => ({ method: 'GET', path: `/v1/cases/${id}/execution` }),
    // The supervisor and the operator only, wherever their unit is.
    expect: {
      'community/assigned': 403, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 403, 'agency/held': 403, 'agency/other': 403,
      'district-office/assigned': 403, 'district-office/held': 403, 'district-office/other': 403,
      'city-office/assigned': 403, 'city-office/held': 403, 'city-office/other': 403,
      'conference/assigned': 403, 'conference/other': 403,
      'supervisor/city-wide': 200, 'supervisor/assigned': 200,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 200, 'operator/assigned': 200,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 200, 'operator@city-office/other': 200,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'DELETE /v1/cases/{id}/complainant': {
    route: 'DELETE /v1/cases/{id}/complainant',
    step: 'handling',
    request: (id) => ({ method: 'DELETE', path: `/v1/cases/${id}/complainant` }),
    // Erasure on the complainant's request: the supervision centre only, whatever the step.
    expect: {
      'community/assigned': 403, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 403, 'agency/held': 403, 'agency/other': 403,
      'district-office/assigned': 403, 'district-office/held': 403, 'district-office/other': 403,
      'city-office/assigned': 403, 'city-office/held': 403, 'city-office/other': 403,
      'conference/assigned': 403, 'conference/other': 403,
      'supervisor/city-wide': 204, 'supervisor/assigned': 204,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/sign-off': {
    route: 'POST /v1/cases/{id}/sign-off',
    step: 'sign-off',
    wrongStep: 'handling',
    request: post('sign-off', BODY.signOff),
    // The assigned unit, in a handling role: the supervisor (assigned unit of a returned case),
    // the auditor and the operator never handle cases (403).
    expect: {
      'community/assigned': 202, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 202, 'agency/held': 409, 'agency/other': 403,
      'district-office/assigned': 202, 'district-office/held': 409, 'district-office/other': 403,
      'city-office/assigned': 202, 'city-office/held': 409, 'city-office/other': 403,
      'conference/assigned': 202, 'conference/other': 403,
      'supervisor/city-wide': 403, 'supervisor/assigned': 403,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/progress': {
    route: 'POST /v1/cases/{id}/progress',
    step: 'handling',
    wrongStep: 'evaluation',
    request: post('progress', BODY.progress),
    expect: {
      'community/assigned': 201, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 201, 'agency/held': 409, 'agency/other': 403,
      'district-office/assigned': 201, 'district-office/held': 409, 'district-office/other': 403,
      'city-office/assigned': 201, 'city-office/held': 409, 'city-office/other': 403,
      'conference/assigned': 201, 'conference/other': 403,
      'supervisor/city-wide': 403, 'supervisor/assigned': 403,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/messages': {
    route: 'POST /v1/cases/{id}/messages',
    step: 'handling',
    request: post('messages', { text: '请于周三前反馈现场情况' }),
    // Any party writes, in any step; the supervision centre is party to every case; auditors and operators are not parties.
    expect: {
      'community/assigned': 201, 'community/accepted': 201, 'community/other': 403,
      'agency/assigned': 201, 'agency/held': 201, 'agency/other': 403,
      'district-office/assigned': 201, 'district-office/held': 201, 'district-office/other': 403,
      'city-office/assigned': 201, 'city-office/held': 201, 'city-office/other': 403,
      'conference/assigned': 201, 'conference/other': 403,
      'supervisor/city-wide': 201, 'supervisor/assigned': 201,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/resolve': {
    route: 'POST /v1/cases/{id}/resolve',
    step: 'handling',
    wrongStep: 'sign-off',
    request: post('resolve', BODY.resolve),
    expect: {
      'community/assigned': 202, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 202, 'agency/held': 409, 'agency/other': 403,
      'district-office/assigned': 202, 'district-office/held': 409, 'district-office/other': 403,
      'city-office/assigned': 202, 'city-office/held': 409, 'city-office/other': 403,
      'conference/assigned': 202, 'conference/other': 403,
      'supervisor/city-wide': 403, 'supervisor/assigned': 403,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/escalate': {
    route: 'POST /v1/cases/{id}/escalate',
    step: 'handling',
    wrongStep: 'sign-off',
    request: post('escalate', BODY.escalate),
    // Nothing is above the joint conference: it may escalate, but it never fits (409).
    expect: {
      'community/assigned': 202, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 202, 'agency/held': 409, 'agency/other': 403,
      'district-office/assigned': 202, 'district-office/held': 409, 'district-office/other': 403,
      'city-office/assigned': 202, 'city-office/held': 409, 'city-office/other': 403,
      'conference/assigned': 409, 'conference/other': 403,
      'supervisor/city-wide': 403, 'supervisor/assigned': 403,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/co-handlers': {
    route: 'POST /v1/cases/{id}/co-handlers',
    step: 'handling',
    wrongStep: 'sign-off',
    request: post('co-handlers', (assigned: string) => ({
      units: [assigned === 'city-dept-environment' ? 'city-dept-housing' : 'city-dept-environment'],
      task: '协助核实',
      workingDays: 2,
    })),
    // The unit holding the case brings in co-handlers, at any tier (the joint conference too).
    expect: {
      'community/assigned': 202, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 202, 'agency/held': 409, 'agency/other': 403,
      'district-office/assigned': 202, 'district-office/held': 409, 'district-office/other': 403,
      'city-office/assigned': 202, 'city-office/held': 409, 'city-office/other': 403,
      'conference/assigned': 202, 'conference/other': 403,
      'supervisor/city-wide': 403, 'supervisor/assigned': 403,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/co-handlers/{unit}/sign-off': {
    route: 'POST /v1/cases/{id}/co-handlers/{unit}/sign-off',
    step: 'handling',
    // No column co-handles these cases: whoever may read the case finds no such part (404), others are refused
    // (403). tests/integration/co-handling.test.ts walks the co-handler's own path.
    request: (id, assigned) => ({ method: 'POST', path: `/v1/cases/${id}/co-handlers/${assigned}/sign-off`, body: { handler: { name: '陈刚' } } }),
    expect: {
      'community/assigned': 404, 'community/accepted': 404, 'community/other': 403,
      'agency/assigned': 404, 'agency/held': 404, 'agency/other': 403,
      'district-office/assigned': 404, 'district-office/held': 404, 'district-office/other': 403,
      'city-office/assigned': 404, 'city-office/held': 404, 'city-office/other': 403,
      'conference/assigned': 404, 'conference/other': 403,
      'supervisor/city-wide': 404, 'supervisor/assigned': 404,
      'auditor/city-wide': 404, 'auditor/assigned': 404,
      'operator/city-wide': 404, 'operator/assigned': 404,
      'auditor@city-office/assigned': 404, 'auditor@city-office/other': 404,
      'operator@city-office/assigned': 404, 'operator@city-office/other': 404,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/co-handlers/{unit}/reply': {
    route: 'POST /v1/cases/{id}/co-handlers/{unit}/reply',
    step: 'handling',
    // No column co-handles these cases: whoever may read the case finds no such part (404), others are refused
    // (403). tests/integration/co-handling.test.ts walks the co-handler's own path.
    request: (id, assigned) => ({ method: 'POST', path: `/v1/cases/${id}/co-handlers/${assigned}/reply`, body: { summary: '已核实' } }),
    expect: {
      'community/assigned': 404, 'community/accepted': 404, 'community/other': 403,
      'agency/assigned': 404, 'agency/held': 404, 'agency/other': 403,
      'district-office/assigned': 404, 'district-office/held': 404, 'district-office/other': 403,
      'city-office/assigned': 404, 'city-office/held': 404, 'city-office/other': 403,
      'conference/assigned': 404, 'conference/other': 403,
      'supervisor/city-wide': 404, 'supervisor/assigned': 404,
      'auditor/city-wide': 404, 'auditor/assigned': 404,
      'operator/city-wide': 404, 'operator/assigned': 404,
      'auditor@city-office/assigned': 404, 'auditor@city-office/other': 404,
      'operator@city-office/assigned': 404, 'operator@city-office/other': 404,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/co-handlers/{unit}/return': {
    route: 'POST /v1/cases/{id}/co-handlers/{unit}/return',
    step: 'handling',
    // No column co-handles these cases: whoever may read the case finds no such part (404), others are refused
    // (403). tests/integration/co-handling.test.ts walks the co-handler's own path.
    request: (id, assigned) => ({ method: 'POST', path: `/v1/cases/${id}/co-handlers/${assigned}/return`, body: { reason: '不属本单位职责' } }),
    expect: {
      'community/assigned': 404, 'community/accepted': 404, 'community/other': 403,
      'agency/assigned': 404, 'agency/held': 404, 'agency/other': 403,
      'district-office/assigned': 404, 'district-office/held': 404, 'district-office/other': 403,
      'city-office/assigned': 404, 'city-office/held': 404, 'city-office/other': 403,
      'conference/assigned': 404, 'conference/other': 403,
      'supervisor/city-wide': 404, 'supervisor/assigned': 404,
      'auditor/city-wide': 404, 'auditor/assigned': 404,
      'operator/city-wide': 404, 'operator/assigned': 404,
      'auditor@city-office/assigned': 404, 'auditor@city-office/other': 404,
      'operator@city-office/assigned': 404, 'operator@city-office/other': 404,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/return': {
    route: 'POST /v1/cases/{id}/return',
    step: 'sign-off',
    wrongStep: 'evaluation',
    request: post('return', BODY.return),
    // Only a tier-0 unit returns; an office (tier 1–3) escalates instead: 409, the case's tier.
    expect: {
      'community/assigned': 202, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 202, 'agency/held': 409, 'agency/other': 403,
      'district-office/assigned': 409, 'district-office/held': 409, 'district-office/other': 403,
      'city-office/assigned': 409, 'city-office/held': 409, 'city-office/other': 403,
      'conference/assigned': 409, 'conference/other': 403,
      'supervisor/city-wide': 403, 'supervisor/assigned': 403,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/extension': {
    route: 'POST /v1/cases/{id}/extension',
    step: 'handling',
    wrongStep: 'sign-off',
    request: post('extension', BODY.extension),
    expect: {
      'community/assigned': 202, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 202, 'agency/held': 409, 'agency/other': 403,
      'district-office/assigned': 202, 'district-office/held': 409, 'district-office/other': 403,
      'city-office/assigned': 202, 'city-office/held': 409, 'city-office/other': 403,
      'conference/assigned': 202, 'conference/other': 403,
      'supervisor/city-wide': 403, 'supervisor/assigned': 403,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/evaluate': {
    route: 'POST /v1/cases/{id}/evaluate',
    step: 'evaluation',
    wrongStep: 'handling',
    request: post('evaluate', BODY.evaluate),
    // The originating community only, and not a result it reported itself (a case it kept: the complainant or a follow-up call rates it).
    expect: {
      'community/assigned': 403, 'community/accepted': 202, 'community/other': 403,
      'agency/assigned': 403, 'agency/held': 403, 'agency/other': 403,
      'district-office/assigned': 403, 'district-office/held': 403, 'district-office/other': 403,
      'city-office/assigned': 403, 'city-office/held': 403, 'city-office/other': 403,
      'conference/assigned': 403, 'conference/other': 403,
      'supervisor/city-wide': 403, 'supervisor/assigned': 403,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/follow-up': {
    route: 'POST /v1/cases/{id}/follow-up',
    step: 'evaluation',
    request: post('follow-up', BODY.evaluate),
    // The supervisor only, and only on a result the originating community reported itself: the columns' cases
    // at the supervisor are routed ones, so 409 (tests/integration/citizens.test.ts records one on a kept case).
    expect: {
      'community/assigned': 403, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 403, 'agency/held': 403, 'agency/other': 403,
      'district-office/assigned': 403, 'district-office/held': 403, 'district-office/other': 403,
      'city-office/assigned': 403, 'city-office/held': 403, 'city-office/other': 403,
      'conference/assigned': 403, 'conference/other': 403,
      'supervisor/city-wide': 409, 'supervisor/assigned': 409,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/reopen': {
    route: 'POST /v1/cases/{id}/reopen',
    step: 'closed',
    wrongStep: 'handling',
    request: post('reopen', { reason: '群众反映问题又出现了' }),
    // The originating community (a case it kept or sent on) and the supervisor; a returned case is open (409).
    expect: {
      'community/assigned': 202, 'community/accepted': 202, 'community/other': 403,
      'agency/assigned': 403, 'agency/held': 403, 'agency/other': 403,
      'district-office/assigned': 403, 'district-office/held': 403, 'district-office/other': 403,
      'city-office/assigned': 403, 'city-office/held': 403, 'city-office/other': 403,
      'conference/assigned': 403, 'conference/other': 403,
      'supervisor/city-wide': 202, 'supervisor/assigned': 409,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/approval': {
    route: 'POST /v1/cases/{id}/approval',
    step: 'evaluation',
    wrongStep: 'handling',
    // The unit that reported the result (pending approval: the matrix resolves without approvedBy) names its approver.
    request: post('approval', { name: '周明', post: '主任' }),
    expect: {
      'community/assigned': 201, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 201, 'agency/held': 403, 'agency/other': 403,
      'district-office/assigned': 201, 'district-office/held': 403, 'district-office/other': 403,
      'city-office/assigned': 201, 'city-office/held': 403, 'city-office/other': 403,
      'conference/assigned': 201, 'conference/other': 403,
      'supervisor/city-wide': 403, 'supervisor/assigned': 403,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/supervise (urge)': {
    route: 'POST /v1/cases/{id}/supervise',
    step: 'sign-off',
    wrongStep: 'evaluation',
    request: post('supervise', BODY.urge),
    // The supervisor only, at any waiting step (a returned case too).
    expect: {
      'community/assigned': 403, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 403, 'agency/held': 403, 'agency/other': 403,
      'district-office/assigned': 403, 'district-office/held': 403, 'district-office/other': 403,
      'city-office/assigned': 403, 'city-office/held': 403, 'city-office/other': 403,
      'conference/assigned': 403, 'conference/other': 403,
      'supervisor/city-wide': 202, 'supervisor/assigned': 202,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/supervise (reassign)': {
    route: 'POST /v1/cases/{id}/supervise',
    step: 'sign-off',
    wrongStep: 'evaluation',
    request: post('supervise', (assigned: string) => BODY.reassign(assigned === U.A2 ? U.A1 : U.A2)),
    expect: {
      'community/assigned': 403, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 403, 'agency/held': 403, 'agency/other': 403,
      'district-office/assigned': 403, 'district-office/held': 403, 'district-office/other': 403,
      'city-office/assigned': 403, 'city-office/held': 403, 'city-office/other': 403,
      'conference/assigned': 403, 'conference/other': 403,
      'supervisor/city-wide': 202, 'supervisor/assigned': 202,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/supervise (approve-extension)': {
    route: 'POST /v1/cases/{id}/supervise',
    step: 'extension',
    wrongStep: 'handling',
    request: post('supervise', BODY.approveExtension),
    // A returned case has no extension request waiting: 409 for the supervisor.
    expect: {
      'community/assigned': 403, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 403, 'agency/held': 403, 'agency/other': 403,
      'district-office/assigned': 403, 'district-office/held': 403, 'district-office/other': 403,
      'city-office/assigned': 403, 'city-office/held': 403, 'city-office/other': 403,
      'conference/assigned': 403, 'conference/other': 403,
      'supervisor/city-wide': 202, 'supervisor/assigned': 409,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/supervise (refuse-extension)': {
    route: 'POST /v1/cases/{id}/supervise',
    step: 'extension',
    wrongStep: 'handling',
    request: post('supervise', BODY.refuseExtension),
    expect: {
      'community/assigned': 403, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 403, 'agency/held': 403, 'agency/other': 403,
      'district-office/assigned': 403, 'district-office/held': 403, 'district-office/other': 403,
      'city-office/assigned': 403, 'city-office/held': 403, 'city-office/other': 403,
      'conference/assigned': 403, 'conference/other': 403,
      'supervisor/city-wide': 202, 'supervisor/assigned': 409,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/mediation': {
    route: 'POST /v1/cases/{id}/mediation',
    step: 'handling',
    wrongStep: 'evaluation',
    request: post('mediation', BODY.refer),
    // The unit holding the case refers it (a unit that held it: stale, 409); the community only at intake (this case is signed off: 403);
    // nobody else, a mediation body included.
    expect: {
      'community/assigned': 202, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 202, 'agency/held': 409, 'agency/other': 403,
      'district-office/assigned': 202, 'district-office/held': 409, 'district-office/other': 403,
      'city-office/assigned': 202, 'city-office/held': 409, 'city-office/other': 403,
      'conference/assigned': 202, 'conference/other': 403,
      'supervisor/city-wide': 403, 'supervisor/assigned': 403,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 403, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/mediation/accept': {
    route: 'POST /v1/cases/{id}/mediation/accept',
    step: 'mediation',
    wrongStep: 'mediating',
    request: post('mediation/accept', BODY.accept),
    // Only the mediators of the body the case was referred to (docs/mediation.md); the holder and the rest: 403.
    expect: {
      'community/assigned': 403, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 403, 'agency/held': 403, 'agency/other': 403,
      'district-office/assigned': 403, 'district-office/held': 403, 'district-office/other': 403,
      'city-office/assigned': 403, 'city-office/held': 403, 'city-office/other': 403,
      'conference/assigned': 403, 'conference/other': 403,
      'supervisor/city-wide': 403, 'supervisor/assigned': 403,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 202, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/mediation/decline': {
    route: 'POST /v1/cases/{id}/mediation/decline',
    step: 'mediation',
    wrongStep: 'mediating',
    request: post('mediation/decline', BODY.decline),
    // As accept.
    expect: {
      'community/assigned': 403, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 403, 'agency/held': 403, 'agency/other': 403,
      'district-office/assigned': 403, 'district-office/held': 403, 'district-office/other': 403,
      'city-office/assigned': 403, 'city-office/held': 403, 'city-office/other': 403,
      'conference/assigned': 403, 'conference/other': 403,
      'supervisor/city-wide': 403, 'supervisor/assigned': 403,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 202, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/mediation/sessions': {
    route: 'POST /v1/cases/{id}/mediation/sessions',
    step: 'mediating',
    wrongStep: 'mediation',
    request: post('mediation/sessions', BODY.session),
    // Once the body accepted; before, 409.
    expect: {
      'community/assigned': 403, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 403, 'agency/held': 403, 'agency/other': 403,
      'district-office/assigned': 403, 'district-office/held': 403, 'district-office/other': 403,
      'city-office/assigned': 403, 'city-office/held': 403, 'city-office/other': 403,
      'conference/assigned': 403, 'conference/other': 403,
      'supervisor/city-wide': 403, 'supervisor/assigned': 403,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 202, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/mediation/outcome': {
    route: 'POST /v1/cases/{id}/mediation/outcome',
    step: 'mediating',
    wrongStep: 'agreed',
    request: post('mediation/outcome', BODY.agreement),
    // After a session; once agreed, 409.
    expect: {
      'community/assigned': 403, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 403, 'agency/held': 403, 'agency/other': 403,
      'district-office/assigned': 403, 'district-office/held': 403, 'district-office/other': 403,
      'city-office/assigned': 403, 'city-office/held': 403, 'city-office/other': 403,
      'conference/assigned': 403, 'conference/other': 403,
      'supervisor/city-wide': 403, 'supervisor/assigned': 403,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 202, 'mediator/other': 403,
    },
  },
  'POST /v1/cases/{id}/mediation/fulfilment': {
    route: 'POST /v1/cases/{id}/mediation/fulfilment',
    step: 'agreed',
    wrongStep: 'mediating',
    request: post('mediation/fulfilment', BODY.fulfilment),
    // After an agreement; before it, 409.
    expect: {
      'community/assigned': 403, 'community/accepted': 403, 'community/other': 403,
      'agency/assigned': 403, 'agency/held': 403, 'agency/other': 403,
      'district-office/assigned': 403, 'district-office/held': 403, 'district-office/other': 403,
      'city-office/assigned': 403, 'city-office/held': 403, 'city-office/other': 403,
      'conference/assigned': 403, 'conference/other': 403,
      'supervisor/city-wide': 403, 'supervisor/assigned': 403,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 202, 'mediator/other': 403,
    },
  },
  'GET /v1/cases/{id}/documents/{document}': {
    route: 'GET /v1/cases/{id}/documents/{document}',
    step: 'mediating',
    request: (id) => ({ method: 'GET', path: `/v1/cases/${id}/documents/application` }),
    // The parties to the case and the supervisor (the documents name the parties to the dispute); the auditor, the operator and
    // any other unit: 403. The supervisor's returned case was never mediated: it has no such document (404).
    expect: {
      'community/assigned': 200, 'community/accepted': 200, 'community/other': 403,
      'agency/assigned': 200, 'agency/held': 200, 'agency/other': 403,
      'district-office/assigned': 200, 'district-office/held': 200, 'district-office/other': 403,
      'city-office/assigned': 200, 'city-office/held': 200, 'city-office/other': 403,
      'conference/assigned': 200, 'conference/other': 403,
      'supervisor/city-wide': 200, 'supervisor/assigned': 404,
      'auditor/city-wide': 403, 'auditor/assigned': 403,
      'operator/city-wide': 403, 'operator/assigned': 403,
      'auditor@city-office/assigned': 403, 'auditor@city-office/other': 403,
      'operator@city-office/assigned': 403, 'operator@city-office/other': 403,
      'mediator/referred': 200, 'mediator/other': 403,
    },
  },
};

/* ======================================================================================
 * THE MATRIX of the routes that are not about one case: one column per role (the auditor and
 * the operator at both units they may belong to), and a caller with no token.
 * ====================================================================================== */
const ROLE_COLUMNS = {
  'no token': undefined,
  community: who('community', U.C1),
  agency: who('agency', U.A1),
  'district-office': who('district-office', U.D1),
  'city-office': who('city-office', U.CO),
  conference: who('conference', U.CF),
  supervisor: who('supervisor', U.SC),
  'auditor@supervision-centre': who('auditor', U.SC),
  'auditor@city-office': who('auditor', U.CO),
  'operator@supervision-centre': who('operator', U.SC),
  'operator@city-office': who('operator', U.CO),
  mediator: who('mediator', U.M1),
} satisfies Record<string, Who | undefined>;
type RoleColumnName = keyof typeof ROLE_COLUMNS;

/** A unit of the caller's kind that is not the caller's: the scope a `?unit=` would widen to. */
const ANOTHER_UNIT: Record<string, string> = { [U.C1]: U.C2, [U.A1]: U.A2, [U.D1]: U.D2, [U.CO]: U.D1, [U.CF]: U.CO, [U.SC]: U.A2, [U.M1]: U.M2 };

interface RoleRoute {
  readonly route: RouteKey;
  readonly request: (caller: Who | undefined) => { method: 'GET' | 'POST'; path: string; body?: unknown };
  readonly expect: Record<RoleColumnName, number>;
}

const intakeBody = (originUnit?: string) => ({
  title: '噪音扰民 Noise at night',
  description: '楼下商铺夜间施工，噪音扰民。',
  category: 'routine',
  reportedVia: 'phone',
  complainant: f.nextComplainant(),
  ...(originUnit ? { originUnit } : {}),
});

const ALL = (status: number): Record<RoleColumnName, number> =>
  Object.fromEntries(Object.keys(ROLE_COLUMNS).map((name) => [name, status])) as Record<RoleColumnName, number>;

const ROLE_MATRIX: Record<string, RoleRoute> = {
  'GET /health': { route: 'GET /health', request: () => ({ method: 'GET', path: '/health' }), expect: ALL(200) },
  'GET /v1/openapi.json': { route: 'GET /v1/openapi.json', request: () => ({ method: 'GET', path: '/v1/openapi.json' }), expect: ALL(200) },
  'GET /v1/units': { route: 'GET /v1/units', request: () => ({ method: 'GET', path: '/v1/units' }), expect: ALL(200) },
  'GET /v1/categories': { route: 'GET /v1/categories', request: () => ({ method: 'GET', path: '/v1/categories' }), expect: ALL(200) },
  'GET /v1/track/{code}': { route: 'GET /v1/track/{code}', request: () => ({ method: 'GET', path: `/v1/track/${trackedCode}` }), expect: ALL(200) },
  // The complainant's routes take the PIN, not a token: the tracked case has none yet (403), and is open (reopen 409, asked before the PIN).
  'POST /v1/track/{code}/evaluation': {
    route: 'POST /v1/track/{code}/evaluation',
    request: () => ({ method: 'POST', path: `/v1/track/${trackedCode}/evaluation`, body: { pin: '000000', rating: 'satisfied' } }),
    expect: ALL(403),
  },
  'POST /v1/track/{code}/reopen': {
    route: 'POST /v1/track/{code}/reopen',
    request: () => ({ method: 'POST', path: `/v1/track/${trackedCode}/reopen`, body: { pin: '000000', reason: '问题又出现了' } }),
    expect: ALL(409),
  },
  // Open311 is public: the api_key in the POST body, not a token, says who posts (every caller here posts as C1).
  'GET /open311/v2/discovery.json': { route: 'GET /open311/v2/discovery.json', request: () => ({ method: 'GET', path: '/open311/v2/discovery.json' }), expect: ALL(200) },
  'GET /open311/v2/discovery.xml': { route: 'GET /open311/v2/discovery.xml', request: () => ({ method: 'GET', path: '/open311/v2/discovery.xml' }), expect: ALL(200) },
  'GET /open311/v2/services.json': { route: 'GET /open311/v2/services.json', request: () => ({ method: 'GET', path: '/open311/v2/services.json' }), expect: ALL(200) },
  'GET /open311/v2/services.xml': { route: 'GET /open311/v2/services.xml', request: () => ({ method: 'GET', path: '/open311/v2/services.xml' }), expect: ALL(200) },
  'GET /open311/v2/services/{file}': { route: 'GET /open311/v2/services/{file}', request: () => ({ method: 'GET', path: '/open311/v2/services/routine.xml' }), expect: ALL(200) },
  'GET /open311/v2/requests.json': { route: 'GET /open311/v2/requests.json', request: () => ({ method: 'GET', path: '/open311/v2/requests.json' }), expect: ALL(200) },
  'GET /open311/v2/requests.xml': { route: 'GET /open311/v2/requests.xml', request: () => ({ method: 'GET', path: '/open311/v2/requests.xml' }), expect: ALL(200) },
  'GET /open311/v2/requests/{file}': { route: 'GET /open311/v2/requests/{file}', request: () => ({ method: 'GET', path: `/open311/v2/requests/${open311Request.id}.json` }), expect: ALL(200) },
  'GET /open311/v2/tokens/{file}': { route: 'GET /open311/v2/tokens/{file}', request: () => ({ method: 'GET', path: `/open311/v2/tokens/${open311Request.token}.xml` }), expect: ALL(200) },
  'POST /open311/v2/requests.json': { route: 'POST /open311/v2/requests.json', request: () => ({ method: 'POST', path: '/open311/v2/requests.json', body: open311Body() }), expect: ALL(201) },
  'POST /open311/v2/requests.xml': { route: 'POST /open311/v2/requests.xml', request: () => ({ method: 'POST', path: '/open311/v2/requests.xml', body: open311Body() }), expect: ALL(201) },
  'POST /v1/cases (own community)': {
    route: 'POST /v1/cases',
    // A community accepts for itself; the supervision centre names the community (C1).
    request: (caller) => ({ method: 'POST', path: '/v1/cases', body: intakeBody(caller?.role === 'supervisor' ? U.C1 : undefined) }),
    expect: {
      'no token': 401, community: 201, agency: 403, 'district-office': 403, 'city-office': 403, conference: 403,
      supervisor: 201, 'auditor@supervision-centre': 403, 'auditor@city-office': 403,
      'operator@supervision-centre': 403, 'operator@city-office': 403,
      mediator: 403,
    },
  },
  'POST /v1/cases (another community)': {
    route: 'POST /v1/cases',
    // originUnit C2: not the community's own; the supervision centre accepts for any community.
    request: () => ({ method: 'POST', path: '/v1/cases', body: intakeBody(U.C2) }),
    expect: {
      'no token': 401, community: 403, agency: 403, 'district-office': 403, 'city-office': 403, conference: 403,
      supervisor: 201, 'auditor@supervision-centre': 403, 'auditor@city-office': 403,
      'operator@supervision-centre': 403, 'operator@city-office': 403,
      mediator: 403,
    },
  },
  'POST /v1/cases/preview': {
    route: 'POST /v1/cases/preview',
    // The same rules as intake, answered 200 and stored nowhere.
    request: (caller) => ({ method: 'POST', path: '/v1/cases/preview', body: intakeBody(caller?.role === 'supervisor' ? U.C1 : undefined) }),
    expect: {
      'no token': 401, community: 200, agency: 403, 'district-office': 403, 'city-office': 403, conference: 403,
      supervisor: 200, 'auditor@supervision-centre': 403, 'auditor@city-office': 403,
      'operator@supervision-centre': 403, 'operator@city-office': 403,
      mediator: 403,
    },
  },
  'GET /v1/cases': {
    route: 'GET /v1/cases',
    // Everyone with a token may list; what each gets is checked in "listing" below.
    request: () => ({ method: 'GET', path: '/v1/cases?limit=100' }),
    expect: { ...ALL(200), 'no token': 401 },
  },
  'GET /v1/cases?unit=<another unit>': {
    route: 'GET /v1/cases',
    request: (caller) => ({ method: 'GET', path: `/v1/cases?limit=100&unit=${ANOTHER_UNIT[caller?.unit ?? U.C1]}` }),
    expect: {
      'no token': 401, community: 403, agency: 403, 'district-office': 403, 'city-office': 403, conference: 403,
      supervisor: 200, 'auditor@supervision-centre': 200, 'auditor@city-office': 200,
      'operator@supervision-centre': 200, 'operator@city-office': 200,
      mediator: 403,
    },
  },
  'GET /v1/cases/summary': {
    route: 'GET /v1/cases/summary',
    // Every role: city-wide readers count every open case, a unit's staff its own.
    request: () => ({ method: 'GET', path: '/v1/cases/summary' }),
    expect: { ...ALL(200), 'no token': 401 },
  },
  'GET /v1/cases/summary?unit=<another unit>': {
    route: 'GET /v1/cases/summary',
    request: (caller) => ({ method: 'GET', path: `/v1/cases/summary?unit=${ANOTHER_UNIT[caller?.unit ?? U.C1]}` }),
    expect: {
      'no token': 401, community: 403, agency: 403, 'district-office': 403, 'city-office': 403, conference: 403,
      supervisor: 200, 'auditor@supervision-centre': 200, 'auditor@city-office': 200,
      'operator@supervision-centre': 200, 'operator@city-office': 200,
      mediator: 403,
    },
  },
  'GET /v1/units/{id}/contacts (own unit)': {
    route: 'GET /v1/units/{id}/contacts',
    request: (caller) => ({ method: 'GET', path: `/v1/units/${caller?.unit ?? U.C1}/contacts` }),
    expect: { ...ALL(200), 'no token': 401 },
  },
  'GET /v1/units/{id}/contacts (another unit)': {
    route: 'GET /v1/units/{id}/contacts',
    // Not public: the unit itself, the supervisor and operators.
    request: (caller) => ({ method: 'GET', path: `/v1/units/${caller?.unit === U.A2 ? U.A1 : U.A2}/contacts` }),
    expect: {
      'no token': 401, community: 403, agency: 403, 'district-office': 403, 'city-office': 403, conference: 403,
      supervisor: 200, 'auditor@supervision-centre': 403, 'auditor@city-office': 403,
      'operator@supervision-centre': 200, 'operator@city-office': 200,
      mediator: 403,
    },
  },
  'GET /v1/notifications': {
    route: 'GET /v1/notifications',
    // Everyone with a token reads its own unit's notifications.
    request: () => ({ method: 'GET', path: '/v1/notifications?limit=5' }),
    expect: { ...ALL(200), 'no token': 401 },
  },
  'GET /v1/notifications?unit=<another unit>': {
    route: 'GET /v1/notifications',
    request: (caller) => ({ method: 'GET', path: `/v1/notifications?unit=${ANOTHER_UNIT[caller?.unit ?? U.C1]}` }),
    expect: {
      'no token': 401, community: 403, agency: 403, 'district-office': 403, 'city-office': 403, conference: 403,
      supervisor: 403, 'auditor@supervision-centre': 403, 'auditor@city-office': 403,
      'operator@supervision-centre': 200, 'operator@city-office': 200,
      mediator: 403,
    },
  },
  'GET /v1/reports/{month}': {
    route: 'GET /v1/reports/{month}',
    // Report readers: the supervisor and the auditor (docs/assessment.md: "Both routes are for the supervisor and auditor roles").
    request: () => ({ method: 'GET', path: '/v1/reports/2026-03' }),
    expect: {
      'no token': 401, community: 403, agency: 403, 'district-office': 403, 'city-office': 403, conference: 403,
      supervisor: 200, 'auditor@supervision-centre': 200, 'auditor@city-office': 200,
      'operator@supervision-centre': 403, 'operator@city-office': 403,
      mediator: 403,
    },
  },
  'GET /v1/cases/export': {
    route: 'GET /v1/cases/export',
    // The supervisor only: a list with complainants, at city scale.
    request: () => ({ method: 'GET', path: '/v1/cases/export?month=2026-03' }),
    expect: {
      'no token': 401, community: 403, agency: 403, 'district-office': 403, 'city-office': 403, conference: 403,
      supervisor: 200, 'auditor@supervision-centre': 403, 'auditor@city-office': 403,
      'operator@supervision-centre': 403, 'operator@city-office': 403,
      mediator: 403,
    },
  },
  'GET /v1/statistics': {
    route: 'GET /v1/statistics',
    // Statistics readers: the supervisor and the auditor, as for reports.
    request: () => ({ method: 'GET', path: '/v1/statistics?from=2026-03&to=2026-03&by=channel' }),
    expect: {
      'no token': 401, community: 403, agency: 403, 'district-office': 403, 'city-office': 403, conference: 403,
      supervisor: 200, 'auditor@supervision-centre': 200, 'auditor@city-office': 200,
      'operator@supervision-centre': 403, 'operator@city-office': 403,
      mediator: 403,
    },
  },
  'GET /v1/statistics/mediation': {
    route: 'GET /v1/statistics/mediation',
    // The supervisor, the auditors and the mediation bodies (docs/mediation.md).
    request: () => ({ method: 'GET', path: '/v1/statistics/mediation?from=2026-03&to=2026-03' }),
    expect: {
      'no token': 401, community: 403, agency: 403, 'district-office': 403, 'city-office': 403, conference: 403,
      supervisor: 200, 'auditor@supervision-centre': 200, 'auditor@city-office': 200,
      'operator@supervision-centre': 403, 'operator@city-office': 403,
      mediator: 200,
    },
  },
  'GET /v1/reports': {
    route: 'GET /v1/reports',
    request: () => ({ method: 'GET', path: '/v1/reports?from=2026-03&to=2026-03' }),
    expect: {
      'no token': 401, community: 403, agency: 403, 'district-office': 403, 'city-office': 403, conference: 403,
      supervisor: 200, 'auditor@supervision-centre': 200, 'auditor@city-office': 200,
      'operator@supervision-centre': 403, 'operator@city-office': 403,
      mediator: 403,
    },
  },
};

/* ======================================================================================
 * Tokens that are not accepted, on every route: 401 when there is no valid token or its
 * claims are unusable, 403 when its role does not fit its unit or its unit is unknown.
 * ====================================================================================== */
type BadToken = 'none' | 'foreign' | { unit: string; role: string };
const BAD_TOKENS: readonly { name: string; token: BadToken; status: number }[] = [
  { name: 'no token', token: 'none', status: 401 },
  { name: 'a token signed by another key', token: 'foreign', status: 401 },
  { name: 'a token with an unknown role', token: { unit: U.C1, role: 'mayor' }, status: 401 },
  { name: 'a token naming a unit not in the directory', token: { unit: 'community-atlantis', role: 'community' }, status: 403 },
  { name: 'a community token claiming the supervisor role', token: { unit: U.C1, role: 'supervisor' }, status: 403 },
  { name: 'a street office token claiming the district-office role', token: { unit: U.A1, role: 'district-office' }, status: 403 },
  { name: 'a street office token claiming the auditor role', token: { unit: U.A1, role: 'auditor' }, status: 403 },
  { name: 'a community token claiming the operator role', token: { unit: U.C1, role: 'operator' }, status: 403 },
  { name: 'a supervision-centre token claiming the agency role', token: { unit: U.SC, role: 'agency' }, status: 403 },
  { name: 'a district-office token claiming the conference role', token: { unit: U.D1, role: 'conference' }, status: 403 },
  { name: 'a street office token claiming the mediator role', token: { unit: U.A1, role: 'mediator' }, status: 403 },
  { name: 'a mediation committee token claiming the agency role', token: { unit: U.M1, role: 'agency' }, status: 403 },
];

const badTokens = new Map<BadToken, Promise<string | undefined>>();
function badToken(token: BadToken): Promise<string | undefined> {
  let made = badTokens.get(token);
  if (!made) {
    made = makeBadToken(token);
    badTokens.set(token, made);
  }
  return made;
}

async function makeBadToken(token: BadToken): Promise<string | undefined> {
  if (token === 'none') return undefined;
  if (token === 'foreign') {
    const { privateKey } = await generateKeyPair('RS256');
    return new SignJWT({ unit: U.SC, role: 'supervisor' })
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('forger')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(privateKey);
  }
  return t.token(token.unit, token.role);
}

/* ---------- running one cell ---------- */

async function send(caller: Who | undefined, request: { method: string; path: string; body?: unknown }): Promise<Reply> {
  return t.call(request.method, request.path, { ...(caller ? { token: await f.token(caller) } : {}), ...(request.body !== undefined ? { body: request.body } : {}) });
}

/* ======================================================================================
 * The tests
 * ====================================================================================== */

describe('the matrix covers everything', () => {
  test('every route in ROUTES has rows (a new route fails here until it has its row)', () => {
    const inTables = new Set<RouteKey>([...Object.values(CASE_MATRIX), ...Object.values(ROLE_MATRIX)].map((row) => row.route));
    expect([...inTables].sort()).toEqual(ROUTES.map(routeKey).sort());
  });

  test('every role is a column of both tables', () => {
    const caseRoles = new Set(Object.values(COLUMNS).map((c) => c.who.role));
    const routeRoles = new Set(Object.values(ROLE_COLUMNS).flatMap((c) => (c ? [c.role] : [])));
    expect([...caseRoles].sort()).toEqual([...ROLES].sort());
    expect([...routeRoles].sort()).toEqual([...ROLES].sort());
  });

  test('every case route has a status for every column', () => {
    for (const spec of Object.values(CASE_MATRIX)) expect(Object.keys(spec.expect).sort()).toEqual(Object.keys(COLUMNS).sort());
    for (const spec of Object.values(ROLE_MATRIX)) expect(Object.keys(spec.expect).sort()).toEqual(Object.keys(ROLE_COLUMNS).sort());
  });
});

/*
 * Listing and reading first, on a data set of their own made before any matrix row runs, so
 * "exactly the cases the caller may see" is exact.
 */
describe('listing and reading never leak another unit\'s case or personal data', () => {
  /** name → case id; `truth` is each case as the supervisor sees it once all are made. */
  const ids: Record<string, string> = {};
  let truth: any[] = [];

  const READERS = {
    'community C1': who('community', U.C1),
    'community C2': who('community', U.C2),
    'agency A1 (street office)': who('agency', U.A1),
    'agency A2 (street office)': who('agency', U.A2),
    'agency E (city department)': who('agency', U.E),
    'district-office D1': who('district-office', U.D1),
    'district-office D2': who('district-office', U.D2),
    'city-office': who('city-office', U.CO),
    conference: who('conference', U.CF),
    supervisor: who('supervisor', U.SC),
    'auditor@supervision-centre': who('auditor', U.SC),
    'auditor@city-office': who('auditor', U.CO),
    'operator@supervision-centre': who('operator', U.SC),
    'operator@city-office': who('operator', U.CO),
    'mediator M1': who('mediator', U.M1),
  } satisfies Record<string, Who>;
  const readerNames = Object.keys(READERS) as (keyof typeof READERS)[];

  beforeAll(async () => {
    const made = {
      c1AtA1: f.build('sign-off', U.A1), // C1 → its street office
      c2AtA2: f.build('sign-off', U.A2), // C2 → its street office
      c1AtE: f.create(U.C1, { category: 'environment-pollution' }).then((c) => c.id as string), // → city-dept-environment
      c2AtE: f.create(U.C2, { category: 'environment-pollution' }).then((c) => c.id as string),
      c1Kept: f.build('handling', U.C1), // C1 keeps it
      c1AtD1: f.build('sign-off', U.D1), // A1 escalated it: A1 held it
      c2Returned: f.build('returned', U.A2), // A2 returned it: at the supervision centre
      c1AtCO: f.build('sign-off', U.CO), // A1 and D1 held it
      c2ToA1BySupervisor: f.create(U.C2, { assignedUnit: U.A1, bySupervisor: true }).then((c) => c.id as string), // origin C2, at A1
      c2AtD2: f.build('handling', U.D2),
      c1Resolved: f.build('evaluation', U.A1),
      c2Closed: f.build('closed', U.A2),
      c1AtCF: f.build('handling', U.CF), // A1, D1 and the city office held it
      c1AtA1InMediation: f.build('mediation', U.A1), // A1 referred it to the mediation committee M1
      // C1 → A1, then the supervisor reassigns it to community C2 (it must sign it off).
      c1ReassignedToC2: f.create(U.C1).then(async (c) => {
        await f.act(c.id, 'supervise', who('supervisor', U.SC), BODY.reassign(U.C2));
        return c.id as string;
      }),
    };
    for (const [name, id] of Object.entries(made)) ids[name] = await id;
    truth = await Promise.all(Object.values(ids).map((id) => f.truth(id)));
  }, 60_000);

  const truthOf = (name: string) => truth.find((c) => c.id === ids[name]);

  /**
   * What a caller's list holds (docs/api.md: the list holds "only what the caller may see"; docs/data-model.md: a
   * community lists the cases it accepted, agencies and offices the cases assigned to them,
   * city-wide roles every case — by default the open ones, by next deadline).
   */
  /** A unit's queue: the cases it holds, and a case it returned while that waits to be re-routed (its 已退回). */
  /** A mediation body's queue: the cases referred to it while it holds them (docs/mediation.md). */
  const inQueueOf = (c: any, unit: string) =>
    c.assignedUnit === unit ||
    (c.status === 'returned' && c.holdings?.findLast((h: any) => h.ended?.how === 'returned')?.unit === unit) ||
    (c.mediations?.at(-1)?.body === unit && ['referred', 'accepted', 'agreed'].includes(c.mediations.at(-1).status));
  const ownList = (w: Who, cases: any[]) =>
    cases.filter((c) => (seesAllCases(w) ? c.status !== 'closed' : w.role === 'community' ? c.originUnit === w.unit : inQueueOf(c, w.unit)));
  const sortedIds = (items: any[]) => items.map((c) => c.id).sort();

  /** Every page of a listing, each page checked for leaks as it comes. */
  async function listAll(w: Who, query: string): Promise<{ status: number; items: any[]; first: Reply }> {
    const items: any[] = [];
    let cursor: string | undefined;
    let first: Reply | undefined;
    for (let page = 0; page < 50; page++) {
      const reply = await send(w, { method: 'GET', path: `/v1/cases?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}` });
      first ??= reply;
      if (reply.status !== 200) return { status: reply.status, items, first };
      expectNoLeak(w, reply.body, f.complainants);
      items.push(...reply.body.items);
      cursor = reply.body.nextCursor;
      if (!cursor) break;
    }
    return { status: 200, items, first: first as Reply };
  }

  test('the data set is as built (two communities, two street offices, a department, every office, a returned and a closed case)', () => {
    expect(truthOf('c1AtA1')).toEqual(expect.objectContaining({ originUnit: U.C1, assignedUnit: U.A1, status: 'awaiting-sign-off' }));
    expect(truthOf('c1AtE')).toEqual(expect.objectContaining({ originUnit: U.C1, assignedUnit: U.E }));
    expect(truthOf('c2AtE')).toEqual(expect.objectContaining({ originUnit: U.C2, assignedUnit: U.E }));
    expect(truthOf('c1Kept')).toEqual(expect.objectContaining({ originUnit: U.C1, assignedUnit: U.C1, status: 'in-progress' }));
    expect(truthOf('c1AtD1')).toEqual(expect.objectContaining({ assignedUnit: U.D1, tier: 1, involvedUnits: expect.arrayContaining([U.A1]) }));
    expect(truthOf('c2Returned')).toEqual(expect.objectContaining({ originUnit: U.C2, assignedUnit: U.SC, status: 'returned' }));
    expect(truthOf('c1AtCO')).toEqual(expect.objectContaining({ assignedUnit: U.CO, tier: 2 }));
    expect(truthOf('c2ToA1BySupervisor')).toEqual(expect.objectContaining({ originUnit: U.C2, assignedUnit: U.A1 }));
    expect(truthOf('c2AtD2')).toEqual(expect.objectContaining({ originUnit: U.C2, assignedUnit: U.D2, status: 'in-progress' }));
    expect(truthOf('c1Resolved')).toEqual(expect.objectContaining({ assignedUnit: U.A1, status: 'awaiting-evaluation' }));
    expect(truthOf('c2Closed')).toEqual(expect.objectContaining({ assignedUnit: U.A2, status: 'closed' }));
    expect(truthOf('c1AtCF')).toEqual(expect.objectContaining({ assignedUnit: U.CF, tier: 3, involvedUnits: expect.arrayContaining([U.CO]) }));
    expect(truthOf('c1ReassignedToC2')).toEqual(expect.objectContaining({ originUnit: U.C1, assignedUnit: U.C2, status: 'awaiting-sign-off' }));
  });

  test.each(readerNames)('GET /v1/cases as %s: exactly its cases, personal data only where it may', async (name) => {
    const w = READERS[name];
    const listed = await listAll(w, 'limit=100');
    expect(listed.status).toBe(200);
    expect(sortedIds(listed.items)).toEqual(sortedIds(ownList(w, truth)));
    expect(listed.items.length).toBeGreaterThan(0);
  });

  test.each(readerNames)('GET /v1/cases?month= as %s: the month widens nothing', async (name) => {
    const w = READERS[name];
    const listed = await listAll(w, 'month=2026-03&limit=100');
    expect(listed.status).toBe(200);
    // A city-wide month listing holds every case of the month, closed ones too.
    const expected = seesAllCases(w) ? truth : ownList(w, truth);
    expect(sortedIds(listed.items)).toEqual(sortedIds(expected));
  });

  test.each(readerNames)('GET /v1/cases?unit=<its own unit> as %s', async (name) => {
    const w = READERS[name];
    const listed = await listAll(w, `unit=${w.unit}&limit=100`);
    expect(listed.status).toBe(200);
    const expected = seesAllCases(w) ? truth.filter((c) => inQueueOf(c, w.unit)) : ownList(w, truth);
    expect(sortedIds(listed.items)).toEqual(sortedIds(expected));
  });

  test.each(readerNames)('GET /v1/cases?unit=<another unit> as %s: 403 unless city-wide', async (name) => {
    const w = READERS[name];
    const units = [U.C2, U.A2, U.E, U.D2, U.CO, U.CF, U.SC].filter((u) => u !== w.unit);
    const lists = await Promise.all(units.map((unit) => listAll(w, `unit=${unit}&limit=100`)));
    for (const [i, unit] of units.entries()) {
      const listed = lists[i];
      if (seesAllCases(w)) {
        expect(listed.status).toBe(200);
        expect(sortedIds(listed.items)).toEqual(sortedIds(truth.filter((c) => inQueueOf(c, unit))));
      } else {
        expectProblem(listed.first, 403);
      }
    }
  });

  test.each(readerNames)('GET /v1/cases with status, tier and light filters as %s: a subset of its own, never more', async (name) => {
    const w = READERS[name];
    const base = ownList(w, truth);
    const filters: [string, (c: any) => boolean][] = [
      ['status=awaiting-sign-off', (c) => c.status === 'awaiting-sign-off'],
      ['status=in-progress', (c) => c.status === 'in-progress'],
      ['status=returned', (c) => c.status === 'returned'],
      ['tier=0', (c) => c.tier === 0],
      ['tier=1', (c) => c.tier === 1],
      ['tier=2', (c) => c.tier === 2],
      ['tier=3', (c) => c.tier === 3],
      ['light=green', (c) => c.light === 'green'],
    ];
    const lists = await Promise.all(filters.map(([query]) => listAll(w, `${query}&limit=100`)));
    for (const [i, [query, keep]] of filters.entries()) {
      const listed = lists[i];
      expect({ query, status: listed.status }).toEqual({ query, status: 200 });
      expect({ query, ids: sortedIds(listed.items) }).toEqual({ query, ids: sortedIds(base.filter(keep)) });
    }
  });

  test.each(readerNames)('GET /v1/cases two cases a page as %s: the pages add up to its cases and no more', async (name) => {
    const w = READERS[name];
    const listed = await listAll(w, 'limit=2');
    expect(listed.status).toBe(200);
    expect(sortedIds(listed.items)).toEqual(sortedIds(ownList(w, truth)));
  });

  test('a cursor made from another unit\'s listing (with a valid fingerprint for the caller\'s own query) leaks nothing', async () => {
    const supervisor = who('supervisor', U.SC);
    const agency = who('agency', U.A1);
    const page = await send(supervisor, { method: 'GET', path: `/v1/cases?unit=${U.A2}&limit=1` });
    expect(page.status).toBe(200);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const { k } = JSON.parse(Buffer.from(page.body.nextCursor, 'base64url').toString('utf8'));
    // The fingerprint of "agency A1, no filters" as the store computes it (a forger can read the source).
    const q = createHash('sha256')
      .update(JSON.stringify([{ index: 'byAssignedUnit', unit: U.A1 }, undefined, undefined, undefined]))
      .digest('base64url')
      .slice(0, 16);
    for (const cursor of [page.body.nextCursor, Buffer.from(JSON.stringify({ q, k })).toString('base64url')]) {
      const reply = await send(agency, { method: 'GET', path: `/v1/cases?limit=100&cursor=${encodeURIComponent(cursor)}` });
      if (reply.status === 200) {
        expectNoLeak(agency, reply.body, f.complainants);
        expect(reply.body.items.every((c: any) => c.assignedUnit === U.A1)).toBe(true);
      } else {
        expectProblem(reply, 400);
      }
    }
  });

  test.each(readerNames)('GET /v1/cases/{id} of every case as %s: 200 with personal data only where it may, 403 otherwise', async (name) => {
    const w = READERS[name];
    const results: Record<string, { status: number; complainant: boolean }> = {};
    const expected: Record<string, { status: number; complainant: boolean }> = {};
    const replies = await Promise.all(truth.map((c) => send(w, { method: 'GET', path: `/v1/cases/${c.id}` })));
    for (const [i, c] of truth.entries()) {
      const reply = replies[i];
      results[c.id] = { status: reply.status, complainant: reply.body?.complainant !== undefined };
      expected[c.id] = { status: mayRead(w, c) ? 200 : 403, complainant: mayRead(w, c) && maySeePersonalData(w, c) };
      if (reply.status === 200) expectNoLeak(w, reply.body, f.complainants);
      else expectProblem(reply, reply.status);
    }
    expect(results).toEqual(expected);
  });
});

describe('routes that are not about one case: role × route', () => {
  beforeAll(ensureTrackedCode);
  const cells = Object.entries(ROLE_MATRIX).flatMap(([name, spec]) =>
    (Object.entries(spec.expect) as [RoleColumnName, number][]).map(([column, status]) => ({ name, column, status, spec })),
  );

  test.each(cells)('$name as $column → $status', async ({ column, status, spec }) => {
    const caller = ROLE_COLUMNS[column];
    const request = spec.request(caller);
    const reply = await send(caller, request);
    const sent = request.body as { complainant?: { name: string; phone: string } } | undefined;
    if (reply.status === 201 && reply.body?.id && sent?.complainant) f.register(reply.body.id, sent.complainant);
    expectStatus(reply, status, `${spec.route} as ${caller ? label(caller) : 'no token'}`);
    if (is2xx(status)) {
      if (caller) expectNoLeak(caller, reply.body, f.complainants);
    } else {
      expectProblem(reply, status);
    }
  });
});

/** A public route ignores any token: it answers as it answers without one. */
const publicStatus = (route: { method: string; path: string }) => Object.values(ROLE_MATRIX).find((row) => row.route === routeKey(route))?.expect['no token'] ?? 200;

describe('tokens that are not accepted, on every route', () => {
  beforeAll(ensureTrackedCode);
  /** A request that would succeed with the right credentials (so a missing check shows as a 2xx). */
  async function requestFor(route: (typeof ROUTES)[number]): Promise<{ method: 'GET' | 'POST' | 'DELETE'; path: string; body?: unknown }> {
    const key = routeKey(route);
    const caseRoute = Object.values(CASE_MATRIX).find((spec) => spec.route === key);
    if (caseRoute) return caseRoute.request(await f.sharedCase(caseRoute.step, U.A1), U.A1);
    const roleRoute = Object.values(ROLE_MATRIX).find((spec) => spec.route === key);
    if (!roleRoute) throw new Error(`no request for ${key}`);
    return roleRoute.request(who('supervisor', U.SC));
  }

  const cells = ROUTES.flatMap((route) =>
    BAD_TOKENS.map((bad) => ({ route: routeKey(route), definition: route, bad: bad.name, token: bad.token, status: route.public ? publicStatus(route) : bad.status })),
  );

  test.each(cells)('$route with $bad → $status', async ({ definition, token, status }) => {
    const request = await requestFor(definition);
    const bearer = await badToken(token);
    const reply = await t.call(request.method, request.path, { ...(bearer ? { token: bearer } : {}), ...(request.body !== undefined ? { body: request.body } : {}) });
    if (is2xx(reply.status)) {
      // Whatever it changed, later rows get a new case.
      const caseRoute = Object.values(CASE_MATRIX).find((spec) => spec.route === routeKey(definition));
      if (caseRoute) f.evict(caseRoute.step, U.A1);
    }
    expectStatus(reply, status);
    if (!is2xx(status)) expectProblem(reply, status);
  });
});

describe('a case that does not exist: 404 to every role the route admits, 403 to a role it does not', () => {
  const UNKNOWN = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
  // The execution view and the erasure refuse by role before they look for the case; the other case routes look first.
  const ROLES_BEFORE_LOOKUP: Record<string, ReadonlySet<string>> = {
    'GET /v1/cases/{id}/execution': new Set(['supervisor', 'operator']),
    'DELETE /v1/cases/{id}/complainant': new Set(['supervisor']),
    'POST /v1/cases/{id}/follow-up': new Set(['supervisor']),
    'POST /v1/cases/{id}/reopen': new Set(['community', 'supervisor']),
  };
  const cells = Object.entries(CASE_MATRIX).flatMap(([name, spec]) =>
    (Object.entries(ROLE_COLUMNS) as [RoleColumnName, Who | undefined][]).flatMap(([column, caller]) =>
      caller
        ? [{ name, column, caller, spec, status: ROLES_BEFORE_LOOKUP[spec.route] && !ROLES_BEFORE_LOOKUP[spec.route].has(caller.role) ? 403 : 404 }]
        : [],
    ),
  );

  test.each(cells)('$name on an unknown case as $column → $status', async ({ caller, spec, status }) => {
    const reply = await send(caller, spec.request(UNKNOWN, U.A1));
    expectStatus(reply, status);
    expectProblem(reply, status);
  });
});

describe('case routes: role × own / other unit × step', () => {
  const cells = Object.entries(CASE_MATRIX).flatMap(([name, spec]) =>
    (Object.entries(spec.expect) as [ColumnName, number][]).flatMap(([column, status]) => {
      const c: Column = COLUMNS[column];
      const fitting = { name, column, spec, step: caseStepOf(c, spec.step), status, when: c.returned ? 'returned case' : `case in ${spec.step}` };
      if (!spec.wrongStep || c.returned) return [fitting];
      // In a step the action does not fit: allowed → 409; not allowed → still 403 (403 before 409).
      const wrong = { ...fitting, step: spec.wrongStep, status: is2xx(status) ? 409 : status, when: `case in ${spec.wrongStep} (wrong step)` };
      return [fitting, wrong];
    }),
  ).map((cell, index) => {
    // A row that may change its case gets a new one; the others share one per step and unit.
    const at = COLUMNS[cell.column].at;
    const fresh = is2xx(cell.status);
    return { ...cell, job: { key: fresh ? `row-${index}` : `${cell.step}@${at}`, step: cell.step, at, fresh } satisfies CaseJob };
  });

  // Cases are made ahead, a few at a time, in the order the rows need them.
  beforeAll(() => f.prefetch(cells.map((cell) => cell.job)));

  test.each(cells)('$name | $column | $when → $status', async ({ column, spec, step, status, job }) => {
    const c: Column = COLUMNS[column];
    const isAction = spec.route.startsWith('POST');
    const id = await f.caseFor(job);

    const reply = await send(c.who, spec.request(id, assignedUnitOf(c)));
    if (is2xx(reply.status) && !job.fresh) f.evict(step, c.at);

    expectStatus(reply, status, `${spec.route} by ${label(c.who)} on ${step}@${c.at}`);
    if (is2xx(status)) {
      // A mediation document names the parties: it is answered only to those who may see the case's personal data.
      if (spec.route === 'GET /v1/cases/{id}/documents/{document}') expect(maySeePersonalData(c.who, await f.truth(id))).toBe(true);
      else expectNoLeak(c.who, reply.body, f.complainants);
      if (isAction) {
        await t.advance(0); // the workflow applies it
        const after = await f.truth(id);
        expect(after.timeline.map((e: any) => e.type)).not.toContain('ACTION_NOT_APPLIED');
      }
    } else {
      expectProblem(reply, status);
    }
  });

  test('no refused or conflicting request changed its case (every shared case is as it was made)', async () => {
    await t.advance(0);
    const shared = await f.sharedNowAndThen();
    expect(shared.length).toBeGreaterThan(30);
    for (const { id, then, now } of shared) expect({ id, now }).toEqual({ id, now: then });
  });
});
