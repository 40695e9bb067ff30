/**
 * What anyone holding a tracking code may read about a case (GET /v1/track/{code}): where it is,
 * who is responsible (the unit, by name), when it is due, the result once reported, and public
 * milestones. Never the complainant, a handler's name or phone, notes, messages or supervision
 * records: it is built field by field from the record, so nothing else can slip through.
 */
import * as z from 'zod/mini';
import './zod-locale';
import { categoryById } from './categories';
import type { CaseRecord, TimelineEvent } from './case';
import { renderEvent } from './texts/event-render';
import type { TextContext } from './texts/format';

export const PUBLIC_STAGES = ['accepted', 'in-progress', 'resolved', 'closed'] as const;

export const PublicStatusSchema = z
  .object({
    trackingCode: z.string(),
    status: z.enum(['open', 'closed']),
    stage: z.enum(PUBLIC_STAGES),
    category: z.string(),
    categoryName: z.string(),
    unitName: z.string(),
    acceptedAt: z.string(),
    dueAt: z.optional(z.string()),
    resolvedAt: z.optional(z.string()),
    result: z.optional(z.string()),
    milestones: z.array(z.object({ at: z.string(), code: z.string(), text: z.string() })),
  })
  .register(z.globalRegistry, { id: 'PublicStatus' });
export type PublicStatus = z.infer<typeof PublicStatusSchema>;

/** Timeline events that are public, and the unit each one names. */
const MILESTONE_OF: Readonly<Record<string, (e: TimelineEvent) => { code: string; unit?: string } | undefined>> = {
  CASE_ACCEPTED: (e) => ({ code: 'ACCEPTED', unit: e.unit }),
  SIGNED_OFF: (e) => ({ code: 'SIGNED_OFF', unit: e.unit }),
  ESCALATED_TO_TIER: (e) => ({ code: 'ESCALATED', unit: typeof e.data?.to === 'string' ? e.data.to : e.unit }),
  REASSIGNED: (e) => ({ code: 'REASSIGNED', unit: typeof e.data?.to === 'string' ? e.data.to : undefined }),
  RESOLVED: (e) => ({ code: 'RESOLVED', unit: e.unit }),
  REOPENED: (e) => ({ code: 'REOPENED', unit: e.unit }),
  CASE_REOPENED: (e) => ({ code: 'REOPENED', unit: e.unit }),
  COMPLAINANT_RATED: () => ({ code: 'RATED' }),
  CLOSED: () => ({ code: 'CLOSED' }),
};

const stageOf = (record: CaseRecord): PublicStatus['stage'] => {
  switch (record.status) {
    case 'awaiting-sign-off':
    case 'returned':
      return 'accepted';
    case 'in-progress':
      return 'in-progress';
    case 'awaiting-evaluation':
      return 'resolved';
    case 'closed':
      return 'closed';
  }
};

export function publicStatus(record: CaseRecord, timeline: readonly TimelineEvent[], texts: TextContext): PublicStatus {
  // A returned case waits for the supervision centre: the public sees the unit that last had it.
  const responsible = record.status === 'returned' ? (record.holdings?.findLast((h) => h.role === 'holder')?.unit ?? record.firstHandlerUnit) : record.assignedUnit;
  const name = (unit: string) => texts.unitName?.(unit, texts.lang) ?? unit;
  const category = categoryById(record.category);
  const milestones = timeline.flatMap((event) => {
    const milestone = MILESTONE_OF[event.type]?.(event);
    if (!milestone) return [];
    const code = `public.${milestone.code}`;
    return [{ at: event.at, code: milestone.code, text: renderEvent({ code, params: milestone.unit ? { unit: milestone.unit } : {} }, texts) }];
  });
  return {
    trackingCode: record.trackingCode ?? '',
    status: record.status === 'closed' ? 'closed' : 'open',
    stage: stageOf(record),
    category: record.category,
    categoryName: texts.lang === 'en' ? category.nameEn : category.name,
    unitName: name(responsible),
    acceptedAt: record.createdAt,
    ...(record.status !== 'closed' && record.status !== 'awaiting-evaluation' && record.resolveDueAt ? { dueAt: record.resolveDueAt } : {}),
    ...(record.resolution ? { resolvedAt: record.resolution.at, result: record.resolution.summary } : {}),
    milestones,
  };
}
