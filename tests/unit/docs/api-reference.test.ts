import { readFileSync } from 'node:fs';
import { API_REFERENCE_FILE, renderApiReference } from '../../../scripts/api-reference';
import { ROUTES } from '../../../functions/api/routes';
import { ALERT_TYPES } from '../../../functions/domain/workflow';

/*
 * docs/api.md is generated (`npm run docs:api`) from the OpenAPI document, the route table, the
 * roles and the alert types. If a schema, a route or an alert type changes without the page being
 * written again, the page describes an API that no longer exists: this fails.
 */
describe('the API reference (docs/api.md)', () => {
  const generated = renderApiReference();

  it('is exactly what `npm run docs:api` writes from the code as it is now', () => {
    const onDisk = readFileSync(API_REFERENCE_FILE, 'utf8');
    if (onDisk !== generated) {
      throw new Error('docs/api.md is out of date with the API: run `npm run docs:api` and commit docs/api.md.');
    }
  });

  it('has a section for every route in functions/api/routes.ts, and only those', () => {
    const sections = [...generated.matchAll(/^### `([A-Z]+ \S+)`$/gm)].map((m) => m[1]);
    expect(sections).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`));
  });

  it('says who may call each route', () => {
    for (const route of ROUTES) {
      const section = generated.split(`### \`${route.method} ${route.path}\``)[1].split('\n### ')[0];
      expect(section).toMatch(/- \*\*Who\*\*: .+; (no token|a bearer token)\./);
    }
  });

  it('names every alert type with its meaning, and the body and attributes of the SNS message', () => {
    const alerts = generated.split('## Alerts')[1].split('\n## ')[0];
    for (const type of [...ALERT_TYPES, 'REPORT_PUBLISHED']) expect(alerts).toMatch(new RegExp(`^\\| \`${type}\` \\| .+ \\|$`, 'm'));
    expect(alerts).toContain('message attributes `type` (String) and `tier` (Number)');
  });

  it('states the rules every client relies on', () => {
    for (const rule of ['UTF-8', '`x-request-id`', '`application/problem+json`', '`errors: [{path, message}]`', 'stack trace', '`npm run token']) {
      expect(generated).toContain(rule);
    }
    const statuses = generated.split('## Status codes')[1].split('\n## ')[0];
    for (const status of [200, 201, 202, 400, 401, 403, 404, 409, 413, 429]) expect(statuses).toMatch(new RegExp(`^\\| ${status} \\|`, 'm'));
    for (const endpoint of ['GET /_local/clock', 'POST /_local/clock/advance', 'GET /_local/alerts', 'POST /_local/token']) {
      expect(generated.split('## Local-only endpoints')[1]).toContain(`| \`${endpoint}\` |`);
    }
  });
});
