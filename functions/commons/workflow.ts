import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { requiredEnv } from './clients/settings';
import { stepFunctions } from './clients/step-functions';

/**
 * Starts the case's workflow execution, named by the case id: Step Functions refuses a
 * second execution of the same name, so a retried intake can never start two workflows.
 * Calling it again for a case that already has its execution is harmless.
 */
export async function startCaseWorkflow(caseId: string): Promise<'started' | 'already-exists'> {
  try {
    await stepFunctions().send(
      new StartExecutionCommand({
        stateMachineArn: requiredEnv('CASE_WORKFLOW_ARN'),
        name: caseId,
        input: JSON.stringify({ caseId }),
      }),
    );
    return 'started';
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    return 'already-exists';
  }
}
