import type { Context } from 'aws-lambda';
import { LOCAL_REGION } from './dynamodb';

/*
 * The Lambda functions the state machines invoke, run in this process: the ARN in the
 * definition names the function, the payload is passed as the event, and a thrown error's
 * name becomes the error the workflow's Retry and Catch see, as with lambda:invoke in AWS.
 */
type Handler = (event: unknown, context: Context) => Promise<unknown>;

const FUNCTIONS: Record<string, () => Promise<{ handler: Handler }>> = {
  'case-workflow': () => import('../functions/workflow/case-workflow') as Promise<{ handler: Handler }>,
};

export const localFunctionArn = (name: string) => `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${name}`;

const context = (name: string): Context =>
  ({
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: localFunctionArn(name),
    awsRequestId: `local-${Date.now()}`,
    getRemainingTimeInMillis: () => 30_000,
  }) as Context;

export async function invokeLocalFunction(functionArn: string, payload: unknown): Promise<unknown> {
  const name = functionArn.split(':').pop() ?? '';
  const load = FUNCTIONS[name];
  if (!load) {
    const error = new Error(`Function not found: ${functionArn}`);
    error.name = 'Lambda.ResourceNotFoundException';
    throw error;
  }
  const { handler } = await load();
  // A JSON round trip, as the Lambda service serializes both ways.
  return JSON.parse(JSON.stringify((await handler(JSON.parse(JSON.stringify(payload ?? null)), context(name))) ?? null));
}
