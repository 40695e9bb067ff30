import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ACCEPTED_VERSION, type CaseRecord } from '../domain/case';
import { estimateStepEvents } from '../domain/continuation';
import { planFor, type WorkflowContext } from '../domain/workflow';
import { requiredEnv } from './clients/settings';
import { stepFunctions } from './clients/step-functions';

/**
 * The plan a new case's execution starts with: what the workflow's Begin step would answer for
 * the case as intake wrote it (beginning changes nothing on the record), so the execution goes
 * straight to its first wait and intake costs the table one transaction. Its version is the
 * accepted one, which tells that first wait to mark the workflow begun.
 */
export function firstPlan(record: CaseRecord, ctx: WorkflowContext) {
  return { ...planFor(record, ctx), alerts: [], outcome: 'started', version: ACCEPTED_VERSION, events: estimateStepEvents(0), continueAs: null };
}

/**
 * Starts the case's workflow execution, named by the case id: Step Functions refuses a
 * second execution of the same name, so a retried intake can never start two workflows.
 * Calling it again for a case that already has its execution is harmless. Without a plan (the
 * outbox sweeper, a retried intake) the execution's Begin step reads the case and makes it.
 */
export async function startCaseWorkflow(caseId: string, plan?: ReturnType<typeof firstPlan>): Promise<'started' | 'already-exists'> {
  try {
    await stepFunctions().send(
      new StartExecutionCommand({
        stateMachineArn: requiredEnv('CASE_WORKFLOW_ARN'),
        name: caseId,
        input: JSON.stringify(plan ? { caseId, plan } : { caseId }),
      }),
    );
    return 'started';
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    return 'already-exists';
  }
}
