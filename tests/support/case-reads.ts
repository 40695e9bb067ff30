import type { TestStack } from './local-stack';

/**
 * The reads integration tests make of a case through the API, as the supervisor (who sees all
 * of it): the case with its timeline, its workflow execution, and the alert types it raised.
 */
export function caseReads(t: () => TestStack, supervisorToken: () => Promise<string>) {
  return {
    async getCase(id: string): Promise<any> {
      const response = await t().call('GET', `/v1/cases/${id}`, { token: await supervisorToken() });
      expect(response.status).toBe(200);
      return response.body;
    },
    async execution(id: string): Promise<any> {
      const response = await t().call('GET', `/v1/cases/${id}/execution`, { token: await supervisorToken() });
      expect(response.status).toBe(200);
      return response.body;
    },
    async alertTypes(id: string): Promise<string[]> {
      const response = await t().call('GET', `/_local/alerts?caseId=${id}`);
      return response.body.items.map((alert: { type: string }) => alert.type);
    },
  };
}
