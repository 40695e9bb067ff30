import middy from '@middy/core';
import { logger } from '../commons/logger';
import { deployedNotifications } from './deployment';
import type { SweepSummary } from './logged-sender';

/*
 * Run every minute in AWS (infra/stack.ts): sends the SMS that quiet hours held once they end,
 * makes webhook calls and their retries (doubling back-off, then parked with the reason), and
 * takes up any send a crash left unsettled. Never part of a case's workflow.
 */
export const handler = middy<unknown, SweepSummary>().handler(async () => {
  const deployed = deployedNotifications();
  if (!deployed) throw new Error('NOTIFICATION_LOG is not set to "table": this function has no notification log to sweep.');
  const summary = await deployed.sender.sweep();
  if (summary.sent || summary.retried || summary.parked || summary.refused) logger.info(summary, 'notification sweep');
  return summary;
});
