import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import validateAsl from 'asl-validator';
import {
  caseWorkflowSubstitutions,
  readCaseWorkflowDefinition,
  substitute,
} from '../../../statemachines/definitions';
import { aslToMermaid } from '../../../statemachines/diagram';
import { DIAGRAM_FILE, withDiagram } from '../../../statemachines/render-diagram';
import { PHASES } from '../../../functions/domain/workflow';
import { ALERT_ATTRIBUTES } from '../../../functions/domain/notifications/audience';
import { alertMessage } from '../../../functions/housekeeping/outbox-sweeper';

const substituted = () =>
  JSON.parse(
    substitute(
      readCaseWorkflowDefinition(),
      caseWorkflowSubstitutions({
        workflowFunctionArn: 'arn:aws:lambda:cn-north-1:123456789012:function:case-workflow',
        alertTopicArn: 'arn:aws:sns:cn-north-1:123456789012:alerts',
      }),
    ),
  );

describe('the case workflow definition', () => {
  it('is valid Amazon States Language once its placeholders are filled', () => {
    const result = validateAsl(substituted());
    expect(result.errorsText?.('\n') ?? '').toBe('');
    expect(result.isValid).toBe(true);
  });

  it('names exactly the placeholders statemachines/definitions.ts fills', () => {
    const used = new Set([...readCaseWorkflowDefinition().matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    const filled = Object.keys(caseWorkflowSubstitutions({ workflowFunctionArn: 'a', alertTopicArn: 'b' }));
    expect([...used].sort()).toEqual(filled.sort());
  });

  it('refuses to leave a placeholder unfilled', () => {
    expect(() => substitute('{"a": "${Missing}"}', {})).toThrow('Missing');
  });

  it('waits with a task token and a computed timeout in every open phase of the domain', () => {
    const { States } = substituted();
    const choices = States.NextStep.Choices.map((c: { StringEquals: string }) => c.StringEquals);
    expect(choices.sort()).toEqual([...PHASES].sort());
    for (const name of ['AwaitSignOff', 'AwaitResult', 'AwaitEvaluation', 'AwaitReRouting']) {
      const state = States[name];
      expect(state.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
      expect(state.Parameters.Payload['taskToken.$']).toBe('$$.Task.Token');
      expect(state.TimeoutSecondsPath).toBe('$.plan.waitSeconds');
      expect(state.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.Timeout'] })]);
    }
  });

  it('publishes each alert with the attributes subscriptions filter on, the same the outbox sweeper republishes with', () => {
    const publish = substituted().States.AnnounceAlerts.ItemProcessor.States.PublishAlert;
    expect(publish.Resource).toBe('arn:aws:states:::sns:publish');
    expect(Object.keys(publish.Parameters.MessageAttributes).sort()).toEqual([...ALERT_ATTRIBUTES].sort());
    expect(publish.Parameters.MessageAttributes.tier.DataType).toBe('Number');
    expect(publish.Parameters.MessageAttributes.audience).toEqual({ DataType: 'String.Array', 'StringValue.$': 'States.JsonToString($.alert.audience)' });
    const alert = { type: 'SIGN_OFF_OVERDUE', tier: 0, unit: 'street-xiling-xiling', district: 'xiling', audience: ['street-xiling-xiling', 'supervision-centre'] };
    const republished = alertMessage('arn:aws:sns:cn-north-1:000000000000:alerts', alert).MessageAttributes as Record<string, { DataType: string; StringValue: string }>;
    expect(Object.keys(republished).sort()).toEqual([...ALERT_ATTRIBUTES].sort());
    for (const name of ALERT_ATTRIBUTES) expect(republished[name]!.DataType).toBe(publish.Parameters.MessageAttributes[name].DataType);
    expect(JSON.parse(republished.audience!.StringValue)).toEqual(alert.audience);
  });

  it('retries every call of the workflow function on throttling and store conflicts, with full jitter', () => {
    const tasks: Array<[string, any]> = [];
    const collect = (states: Record<string, any>) => {
      for (const [name, state] of Object.entries(states)) {
        if (state.Type === 'Task' && String(state.Resource).startsWith('arn:aws:states:::lambda:invoke')) tasks.push([name, state]);
        if (state.ItemProcessor) collect(state.ItemProcessor.States);
      }
    };
    collect(substituted().States);
    expect(tasks.length).toBeGreaterThan(8);
    for (const [name, state] of tasks) {
      const errors = (state.Retry ?? []).flatMap((retrier: any) => (retrier.JitterStrategy === 'FULL' ? retrier.ErrorEquals : []));
      expect({ name, errors }).toEqual({
        name,
        errors: expect.arrayContaining(['Lambda.TooManyRequestsException', 'WorkflowStoreConflict', 'ProvisionedThroughputExceededException', 'ThrottlingException']),
      });
    }
  });

  it('never loses an alert: SNS is retried with jitter, then the alert is held for the outbox sweeper', () => {
    const publish = substituted().States.AnnounceAlerts.ItemProcessor.States.PublishAlert;
    expect(publish.Retry).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], JitterStrategy: 'FULL' })]);
    expect(publish.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'HoldAlert' }]);
    const hold = substituted().States.AnnounceAlerts.ItemProcessor.States.HoldAlert;
    expect(hold.Parameters.Payload).toEqual(expect.objectContaining({ op: 'hold-alert', 'alert.$': '$.alert' }));
  });

  it('is drawn in docs/workflow.md exactly as generated from the file (npm run diagram)', () => {
    expect(DIAGRAM_FILE).toBe(join(__dirname, '..', '..', '..', 'docs', 'workflow.md'));
    const doc = readFileSync(DIAGRAM_FILE, 'utf8');
    expect(withDiagram(doc, readCaseWorkflowDefinition())).toBe(doc);
    expect(aslToMermaid(readCaseWorkflowDefinition())).toContain('AwaitSignOff -.->|States.Timeout| SignOffClock');
  });
});
