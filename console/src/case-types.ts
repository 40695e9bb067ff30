import type { CaseView, TimelineEvent } from '../../functions/domain/case';

/**
 * The case as GET /v1/cases/{id} serves it to this caller: the stored view, plus what the
 * caller may do now (`allowedActions`, and for `supervise` which supervision actions fit), and
 * timeline events with a stable `code`, their `params`, a `text` rendered by the API in the
 * request's language, and who acted (`by`). Fields the API may not send yet are optional.
 */
export interface ApiTimelineEvent extends TimelineEvent {
  readonly code?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly text?: string;
  readonly by?: { readonly sub: string; readonly name?: string };
}

export interface ApiCase extends Omit<CaseView, 'timeline' | 'allowedActions' | 'supervisionActions'> {
  readonly allowedActions?: readonly string[];
  readonly supervisionActions?: readonly string[];
  readonly timeline?: readonly ApiTimelineEvent[];
}

/** Case list items (no timeline). */
export type CaseSummary = Omit<ApiCase, 'timeline'>;

/** The event's stable code (older APIs sent only its type). */
export const codeOf = (event: ApiTimelineEvent): string => event.code ?? event.type;
