import type { CaseRecord, TimelineEvent } from '../../../functions/domain/case';
import { ATTENTION_EVENT, attentionFor, caseIdOf, type ExecutionStatusChange, ExecutionStatusChangeSchema } from '../../../functions/operations/execution-attention';

const executionArn = 'arn:aws-cn:states:cn-north-1:123456789012:execution:case-workflow:01JCASE';
const change = (status: 'FAILED' | 'TIMED_OUT' | 'ABORTED', error?: string): ExecutionStatusChange =>
  ExecutionStatusChangeSchema.parse({
    version: '0',
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    detail: {
      executionArn,
      stateMachineArn: 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:case-workflow',
      name: '01JCASE',
      status,
      startDate: 1,
      stopDate: 2,
      input: '{}',
      output: null,
      ...(error ? { error, cause: 'a long cause that may quote a request' } : { error: null, cause: null }),
    },
  });
const record = { id: '01JCASE', assignedUnit: 'street-1', tier: 1, status: 'handling' } as unknown as CaseRecord;
const NOW = Date.parse('2026-12-06T04:00:00Z');

describe('a stopped case execution', () => {
  test('is recorded on the case as needing attention, with the error but not its cause', () => {
    const attention = attentionFor(change('FAILED', 'States.TaskFailed'), record, [], NOW)!;
    expect(attention.event).toEqual({
      at: '2026-12-06T12:00:00.000+08:00',
      type: ATTENTION_EVENT,
      unit: 'street-1',
      note: expect.stringContaining('failed (States.TaskFailed)'),
      data: { executionArn, status: 'FAILED', error: 'States.TaskFailed', needsAttention: true },
    });
    expect(JSON.stringify(attention)).not.toContain('quote a request');
  });

  test('is alerted with the type and tier every alert carries, so subscription filters apply', () => {
    const { alert } = attentionFor(change('TIMED_OUT'), record, [], NOW)!;
    expect(alert).toEqual({
      type: ATTENTION_EVENT,
      caseId: '01JCASE',
      unit: 'street-1',
      tier: 1,
      dueAt: null,
      at: '2026-12-06T12:00:00.000+08:00',
      detail: expect.stringContaining('timed out'),
    });
  });

  test('is recorded once per execution', () => {
    const first = attentionFor(change('ABORTED'), record, [], NOW)!;
    const timeline = [{ ...first.event, seq: 7 } as TimelineEvent];
    expect(attentionFor(change('ABORTED'), record, timeline, NOW + 1000)).toBeUndefined();
    // Another execution of the same case (restarted, then stopped again) is recorded again.
    const other = ExecutionStatusChangeSchema.parse({ ...change('FAILED'), detail: { ...change('FAILED').detail, executionArn: `${executionArn}-2` } });
    expect(attentionFor(other, record, timeline, NOW)).toBeDefined();
  });

  test.each([
    ['a running execution', { status: 'RUNNING' }],
    ['a succeeded execution', { status: 'SUCCEEDED' }],
    ['an event without a name', { name: '' }],
  ])('refuses %s', (_what, detail) => {
    const event = { 'detail-type': 'Step Functions Execution Status Change', source: 'aws.states', detail: { ...change('FAILED').detail, ...detail } };
    expect(ExecutionStatusChangeSchema.safeParse(event).success).toBe(false);
  });

  test('refuses another event type', () => {
    expect(ExecutionStatusChangeSchema.safeParse({ ...change('FAILED'), 'detail-type': 'Scheduled Event' }).success).toBe(false);
  });
});

describe('the case of a stopped execution', () => {
  const named = (name: string, input?: string | null) =>
    ExecutionStatusChangeSchema.parse({ ...change('FAILED'), detail: { ...change('FAILED').detail, name, input } });

  test('is the caseId of its input when the event carries it', () => {
    expect(caseIdOf(named('01JCASE-c2', JSON.stringify({ caseId: '01JCASE', plan: {} })))).toBe('01JCASE');
  });

  test('else its name, without the continuation suffix', () => {
    expect(caseIdOf(named('01JCASE', null))).toBe('01JCASE');
    expect(caseIdOf(named('01JCASE-c1', undefined))).toBe('01JCASE');
    expect(caseIdOf(named('01JCASE-c12', 'not json'))).toBe('01JCASE');
  });
});
