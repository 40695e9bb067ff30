/**
 * The AWS JSON 1.0 protocol in front of LocalStepFunctions, as @aws-sdk/client-sfn speaks it:
 * `POST /` with `X-Amz-Target: AWSStepFunctions.<Operation>`; 200 with a JSON body on success,
 * 400 with `{"__type": "<ErrorCode>", "message": "..."}` on a client error. Dates travel as epoch seconds.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { StepFunctionsError } from './errors';
import type { LocalStepFunctions } from './service';
import type { ServiceCredentials } from '../credentials';
import { verifySigV4 } from '../sigv4';

/** Only requests signed with these credentials for this region are served, as AWS serves only signed ones. */
export interface StepFunctionsListenerOptions {
  readonly credentials: ServiceCredentials;
  readonly region: string;
}

type Body = Record<string, unknown>;
type Operation = (service: LocalStepFunctions, body: Body) => unknown;

const OPERATIONS: Record<string, Operation> = {
  CreateStateMachine: (s, b) =>
    s.createStateMachine({ name: b.name as string, definition: b.definition as string, roleArn: b.roleArn as string, type: b.type as string | undefined }),
  UpdateStateMachine: (s, b) =>
    s.updateStateMachine({ stateMachineArn: b.stateMachineArn as string, definition: b.definition as string | undefined, roleArn: b.roleArn as string | undefined }),
  DescribeStateMachine: (s, b) => s.describeStateMachine({ stateMachineArn: b.stateMachineArn as string }),
  DescribeStateMachineForExecution: (s, b) => s.describeStateMachineForExecution({ executionArn: b.executionArn as string }),
  ListStateMachines: (s, b) => s.listStateMachines({ maxResults: optionalNumber(b.maxResults), nextToken: b.nextToken as string | undefined }),
  StartExecution: (s, b) =>
    s.startExecution({ stateMachineArn: b.stateMachineArn as string, name: b.name as string | undefined, input: b.input as string | undefined }),
  DescribeExecution: (s, b) => s.describeExecution({ executionArn: b.executionArn as string }),
  ListExecutions: (s, b) =>
    s.listExecutions({
      stateMachineArn: b.stateMachineArn as string,
      statusFilter: b.statusFilter as never,
      maxResults: optionalNumber(b.maxResults),
      nextToken: b.nextToken as string | undefined,
    }),
  GetExecutionHistory: (s, b) =>
    s.getExecutionHistory({
      executionArn: b.executionArn as string,
      maxResults: optionalNumber(b.maxResults),
      nextToken: b.nextToken as string | undefined,
      reverseOrder: b.reverseOrder as boolean | undefined,
      includeExecutionData: b.includeExecutionData as boolean | undefined,
    }),
  SendTaskSuccess: (s, b) => s.sendTaskSuccess({ taskToken: b.taskToken as string, output: b.output as string }),
  SendTaskFailure: (s, b) => s.sendTaskFailure({ taskToken: b.taskToken as string, error: b.error as string | undefined, cause: b.cause as string | undefined }),
  SendTaskHeartbeat: (s, b) => s.sendTaskHeartbeat({ taskToken: b.taskToken as string }),
  StopExecution: (s, b) => s.stopExecution({ executionArn: b.executionArn as string, error: b.error as string | undefined, cause: b.cause as string | undefined }),
};

const MAX_BODY_BYTES = 1024 * 1024;

export function createStepFunctionsRequestListener(
  service: LocalStepFunctions,
  options: StepFunctionsListenerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(service, options, req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { __type: 'InternalFailure', message: error instanceof Error ? error.message : String(error) });
      else res.end();
    });
  };
}

async function handle(service: LocalStepFunctions, options: StepFunctionsListenerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') {
    send(res, 404, { __type: 'UnknownOperationException', message: `${req.method} ${req.url} is not served; the Step Functions API is POST /` });
    return;
  }
  const target = String(req.headers['x-amz-target'] ?? '');
  const operation = target.startsWith('AWSStepFunctions.') ? OPERATIONS[target.slice('AWSStepFunctions.'.length)] : undefined;
  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch (error) {
    send(res, 413, { __type: 'ValidationException', message: (error as Error).message });
    return;
  }
  // Nothing is answered, not even "unknown operation", before the signature is checked.
  const refusal = await verifySigV4({ method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers }, raw, {
    credentials: options.credentials,
    region: options.region,
    service: 'states',
  });
  if (refusal) {
    send(res, 403, { __type: refusal.code, message: refusal.message });
    return;
  }
  if (!operation) {
    send(res, 400, { __type: 'UnknownOperationException', message: `Unknown operation '${target}'` });
    return;
  }
  const text = raw.toString('utf8');
  let body: Body;
  try {
    const parsed = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the body must be a JSON object');
    body = parsed as Body;
  } catch (error) {
    send(res, 400, { __type: 'SerializationException', message: `Could not read the request body: ${(error as Error).message}` });
    return;
  }
  try {
    const result = await operation(service, body);
    send(res, 200, toWire(result));
  } catch (error) {
    if (error instanceof StepFunctionsError) send(res, 400, { __type: error.code, message: error.message });
    else throw error;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
  };
  if (status >= 400 && body && typeof body === 'object' && '__type' in body) headers['x-amzn-ErrorType'] = String((body as { __type: unknown }).__type);
  res.writeHead(status, headers);
  res.end(text);
}

/** Dates become epoch seconds (the JSON protocol's timestamp format); undefined fields are left out. */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toWire(v)]),
    );
  }
  return value;
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
