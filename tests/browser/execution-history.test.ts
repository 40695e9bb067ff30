import { historyOf, type ExecutionView } from '../../console/src/execution-history';

/** The case page's execution history: the newest page polled, older pages read on request and put after it. */
const page = (ids: number[], path: string[], olderCursor?: string): ExecutionView => ({
  caseId: 'C1',
  executionArn: 'arn:aws:states:ap-east-1:123456789012:execution:case:C1',
  status: 'RUNNING',
  path,
  events: ids.map((id) => ({ id, type: 'TaskStateEntered' })),
  ...(olderCursor ? { olderCursor } : {}),
});

describe('the execution history in pages', () => {
  test('newest first across pages, each event once, the path oldest state first, the last page’s cursor', () => {
    const first = page([30, 29, 28], ['AwaitResult', 'HandlingClock'], 'older-1');
    const second = page([28, 27, 26], ['NextStep', 'AwaitSignOff'], 'older-2');
    const third = page([25, 24], ['Resume', 'Begin']);
    expect(historyOf(first, [])).toEqual({ events: first.events, path: ['AwaitResult', 'HandlingClock'], olderCursor: 'older-1' });
    const all = historyOf(first, [second, third]);
    expect(all.events.map((e) => e.id)).toEqual([30, 29, 28, 27, 26, 25, 24]);
    expect(all.path).toEqual(['Resume', 'Begin', 'NextStep', 'AwaitSignOff', 'AwaitResult', 'HandlingClock']);
    expect(all.olderCursor).toBeUndefined();
  });
});
