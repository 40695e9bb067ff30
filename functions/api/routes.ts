/**
 * The HTTP API's routes, declared once. The CDK stack creates one Lambda function and one
 * route per entry; the local API server dispatches to the same handler modules. `needs`
 * lists what the handler touches, so infra can grant exactly that and nothing more.
 */
/** `describe`: the table's status only (DescribeTable), no item and no key. */
export type TableAccess = 'describe' | 'read' | 'read-write';
/** `status`: the state machine's status only (DescribeStateMachine without its definition); `describe`: its executions and their history. */
export type WorkflowAccess = 'start' | 'callback' | 'status' | 'describe';
/** `read`: the deployment's notification log; `send`: also dispatch notifications (SMS to phone numbers). docs/notifications.md */
export type NotificationAccess = 'read' | 'send';

/** Requests per second, and the burst above it, that API Gateway lets through before answering 429. */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * Throttles of the API stage. Public routes answer anyone on the internet, so each has a limit
 * of its own, well below the stage's: a flood of /health or /v1/units cannot use up the
 * capacity that officers' signed-in requests share.
 */
export const THROTTLES = {
  /** The stage default: every signed-in route shares it. */
  signedIn: { rateLimit: 50, burstLimit: 100 },
  /** Each public route, on its own. */
  public: { rateLimit: 10, burstLimit: 20 },
} as const satisfies Record<string, Throttle>;

export interface RouteDefinition {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** API Gateway route path, `{name}` for path parameters. */
  readonly path: string;
  /** Module under functions/api/ (kebab-case) whose `handler` export serves the route. */
  readonly handler: string;
  /** Public routes skip the JWT authorizer. */
  readonly public: boolean;
  readonly needs: { readonly table?: TableAccess; readonly workflow?: readonly WorkflowAccess[]; readonly notifications?: NotificationAccess };
}

export const ROUTES: readonly RouteDefinition[] = [
  { method: 'GET', path: '/health', handler: 'health', public: true, needs: { table: 'describe', workflow: ['status'] } },
  { method: 'GET', path: '/v1/openapi.json', handler: 'openapi', public: true, needs: {} },
  { method: 'GET', path: '/v1/units', handler: 'list-units', public: true, needs: {} },
  { method: 'GET', path: '/v1/categories', handler: 'list-categories', public: true, needs: {} },
  { method: 'GET', path: '/v1/track/{code}', handler: 'track-case', public: true, needs: { table: 'read-write' } },
  // The complainant's own routes: the tracking code and the PIN sent with the result (domain/complainant-pin).
  { method: 'POST', path: '/v1/track/{code}/evaluation', handler: 'track-evaluation', public: true, needs: { table: 'read-write', workflow: ['callback'] } },
  { method: 'POST', path: '/v1/track/{code}/reopen', handler: 'track-reopen', public: true, needs: { table: 'read-write', workflow: ['start'] } },
  // Open311 GeoReport v2 (docs/open311.md): the format is the resource's extension. No two routes overlap, so API
  // Gateway's most-specific match and the local server's first match agree: collections are literal paths, one per
  // format; a single resource is one whole path segment, `{file}` = `<id>.<format>`, which its handler splits.
  { method: 'GET', path: '/open311/v2/discovery.json', handler: 'open311-discovery', public: true, needs: {} },
  { method: 'GET', path: '/open311/v2/discovery.xml', handler: 'open311-discovery', public: true, needs: {} },
  { method: 'GET', path: '/open311/v2/services.json', handler: 'open311-services', public: true, needs: {} },
  { method: 'GET', path: '/open311/v2/services.xml', handler: 'open311-services', public: true, needs: {} },
  { method: 'GET', path: '/open311/v2/services/{file}', handler: 'open311-service-definition', public: true, needs: {} },
  { method: 'GET', path: '/open311/v2/requests.json', handler: 'open311-requests', public: true, needs: { table: 'read' } },
  { method: 'GET', path: '/open311/v2/requests.xml', handler: 'open311-requests', public: true, needs: { table: 'read' } },
  { method: 'POST', path: '/open311/v2/requests.json', handler: 'open311-post-request', public: true, needs: { table: 'read-write', workflow: ['start'] } },
  { method: 'POST', path: '/open311/v2/requests.xml', handler: 'open311-post-request', public: true, needs: { table: 'read-write', workflow: ['start'] } },
  { method: 'GET', path: '/open311/v2/requests/{file}', handler: 'open311-request', public: true, needs: { table: 'read' } },
  { method: 'GET', path: '/open311/v2/tokens/{file}', handler: 'open311-token', public: true, needs: { table: 'read' } },
  { method: 'GET', path: '/v1/units/{id}/contacts', handler: 'get-unit-contacts', public: false, needs: {} },
  { method: 'GET', path: '/v1/notifications', handler: 'list-notifications', public: false, needs: { table: 'read', notifications: 'read' } },
  { method: 'POST', path: '/v1/cases', handler: 'create-case', public: false, needs: { table: 'read-write', workflow: ['start'] } },
  { method: 'POST', path: '/v1/cases/preview', handler: 'preview-case', public: false, needs: {} },
  { method: 'GET', path: '/v1/cases', handler: 'list-cases', public: false, needs: { table: 'read' } },
  // Before /v1/cases/{id}: the local server takes the first route that matches (API Gateway prefers the literal path anyway).
  { method: 'GET', path: '/v1/cases/summary', handler: 'case-summary', public: false, needs: { table: 'read' } },
  { method: 'GET', path: '/v1/cases/export', handler: 'export-cases', public: false, needs: { table: 'read' } },
  { method: 'GET', path: '/v1/cases/{id}', handler: 'get-case', public: false, needs: { table: 'read' } },
  { method: 'POST', path: '/v1/cases/{id}/sign-off', handler: 'sign-off-case', public: false, needs: { table: 'read', workflow: ['callback'] } },
  { method: 'POST', path: '/v1/cases/{id}/progress', handler: 'add-progress', public: false, needs: { table: 'read-write' } },
  { method: 'POST', path: '/v1/cases/{id}/messages', handler: 'post-message', public: false, needs: { table: 'read-write', notifications: 'send' } },
  { method: 'POST', path: '/v1/cases/{id}/resolve', handler: 'resolve-case', public: false, needs: { table: 'read', workflow: ['callback'] } },
  { method: 'POST', path: '/v1/cases/{id}/escalate', handler: 'escalate-case', public: false, needs: { table: 'read', workflow: ['callback'] } },
  { method: 'POST', path: '/v1/cases/{id}/return', handler: 'return-case', public: false, needs: { table: 'read', workflow: ['callback'] } },
  { method: 'POST', path: '/v1/cases/{id}/evaluate', handler: 'evaluate-case', public: false, needs: { table: 'read', workflow: ['callback'] } },
  { method: 'POST', path: '/v1/cases/{id}/follow-up', handler: 'follow-up-case', public: false, needs: { table: 'read-write', workflow: ['callback'] } },
  { method: 'POST', path: '/v1/cases/{id}/reopen', handler: 'reopen-case', public: false, needs: { table: 'read', workflow: ['start'] } },
  { method: 'POST', path: '/v1/cases/{id}/extension', handler: 'request-extension', public: false, needs: { table: 'read', workflow: ['callback'] } },
  { method: 'POST', path: '/v1/cases/{id}/supervise', handler: 'supervise-case', public: false, needs: { table: 'read', workflow: ['callback'] } },
  { method: 'POST', path: '/v1/cases/{id}/co-handlers', handler: 'co-handle-case', public: false, needs: { table: 'read', workflow: ['callback'] } },
  { method: 'POST', path: '/v1/cases/{id}/co-handlers/{unit}/sign-off', handler: 'co-handler-sign-off', public: false, needs: { table: 'read', workflow: ['callback'] } },
  { method: 'POST', path: '/v1/cases/{id}/co-handlers/{unit}/reply', handler: 'co-handler-reply', public: false, needs: { table: 'read', workflow: ['callback'] } },
  { method: 'POST', path: '/v1/cases/{id}/co-handlers/{unit}/return', handler: 'co-handler-return', public: false, needs: { table: 'read', workflow: ['callback'] } },
  { method: 'POST', path: '/v1/cases/{id}/approval', handler: 'record-approval', public: false, needs: { table: 'read-write' } },
  // Mediation (调解, domain/mediation): the holder refers, the body answers, records sessions and the outcome, then the fulfilment.
  { method: 'POST', path: '/v1/cases/{id}/mediation', handler: 'mediation-refer', public: false, needs: { table: 'read', workflow: ['callback'] } },
  { method: 'POST', path: '/v1/cases/{id}/mediation/accept', handler: 'mediation-accept', public: false, needs: { table: 'read', workflow: ['callback'] } },
  { method: 'POST', path: '/v1/cases/{id}/mediation/decline', handler: 'mediation-decline', public: false, needs: { table: 'read', workflow: ['callback'] } },
  { method: 'POST', path: '/v1/cases/{id}/mediation/sessions', handler: 'mediation-session', public: false, needs: { table: 'read', workflow: ['callback'] } },
  { method: 'POST', path: '/v1/cases/{id}/mediation/outcome', handler: 'mediation-outcome', public: false, needs: { table: 'read', workflow: ['callback'] } },
  { method: 'POST', path: '/v1/cases/{id}/mediation/fulfilment', handler: 'mediation-fulfilment', public: false, needs: { table: 'read', workflow: ['callback'] } },
  { method: 'GET', path: '/v1/cases/{id}/documents/{document}', handler: 'mediation-document', public: false, needs: { table: 'read' } },
  { method: 'DELETE', path: '/v1/cases/{id}/complainant', handler: 'erase-complainant', public: false, needs: { table: 'read-write' } },
  { method: 'GET', path: '/v1/cases/{id}/execution', handler: 'get-execution', public: false, needs: { workflow: ['describe'] } },
  { method: 'GET', path: '/v1/reports/{month}', handler: 'get-report', public: false, needs: { table: 'read' } },
  { method: 'GET', path: '/v1/statistics', handler: 'statistics', public: false, needs: { table: 'read' } },
  { method: 'GET', path: '/v1/reports', handler: 'list-reports', public: false, needs: { table: 'read' } },
  { method: 'GET', path: '/v1/statistics/mediation', handler: 'mediation-statistics', public: false, needs: { table: 'read' } },
];
