import { apiHandler } from '../commons/http';
import { now } from '../commons/clock';
import { CreateCaseBodySchema, previewIntake } from '../domain/case';
import { defaultDirectory } from '../domain/directory';
import { defaultCalendar } from '../domain/calendar';
import { defaultRoutingRules } from '../domain/routing';
import { INTAKE_ROLES } from '../domain/roles';

/**
 * Before submit, the intake form shows where the case will go and when it is due: the same
 * rules intake runs, on the same body, writing nothing. It reads no table, so it needs no SDK.
 */
export const handler = apiHandler({ auth: 'required', roles: INTAKE_ROLES, body: CreateCaseBodySchema }, async ({ body, caller }) => ({
  statusCode: 200,
  body: previewIntake(body, { caller, nowMs: now(), directory: defaultDirectory, calendar: defaultCalendar, routingRules: defaultRoutingRules }),
}));
