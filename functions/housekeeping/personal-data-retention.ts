import middy from '@middy/core';
import '../domain/zod-locale';
import * as z from 'zod/mini';
import { caseStore } from '../commons/app';
import { now } from '../commons/clock';
import { logger } from '../commons/logger';
import { toShanghaiIso } from '../domain/calendar';
import { erasePersonalData, isPastRetention, retentionCutoffMs } from '../domain/personal-data';
import { defaultPolicy } from '../domain/policy';
import { StoreConflict } from '../store/case-store';

/*
 * The retention job, run daily: erases the complainant's name, phone and address, and the parties'
 * names its mediations keep, from every case closed longer ago than the policy's retention period
 * (config/policy.json personalDataRetentionDays).
 * It reads the sparse personalDataByClose index, so a day with nothing to erase costs one query.
 */
export const RetentionEventSchema = z.object({ limit: z._default(z.int().check(z.positive(), z.maximum(5000)), 1000) });

export interface RetentionResult {
  readonly erased: number;
  /** Changed by someone else while being erased: the next run takes them. */
  readonly deferred: number;
}

export async function erasePastRetention(options: z.input<typeof RetentionEventSchema> = {}): Promise<RetentionResult> {
  const { limit } = RetentionEventSchema.parse(options); // the scheduler's event, or the local stack's options
  const store = caseStore();
  const nowMs = now();
  const result = { erased: 0, deferred: 0 };
  for (const id of await store.closedWithPersonalData(toShanghaiIso(retentionCutoffMs(nowMs, defaultPolicy)), limit)) {
    const found = await store.getCase(id);
    if (!found || !isPastRetention(found.record, nowMs, defaultPolicy)) continue;
    const erasure = erasePersonalData(found.record, 'retention', toShanghaiIso(nowMs), undefined, found.timeline);
    if (!erasure) continue;
    try {
      await store.erasePersonalData(found.record, erasure);
      result.erased += 1;
    } catch (error) {
      if (!(error instanceof StoreConflict)) throw error;
      result.deferred += 1;
    }
  }
  if (result.erased || result.deferred) logger.info(result, 'personal data past retention erased');
  return result satisfies RetentionResult;
}

export const handler = middy<unknown, RetentionResult>().handler(async (event) => erasePastRetention((event ?? {}) as z.input<typeof RetentionEventSchema>));
