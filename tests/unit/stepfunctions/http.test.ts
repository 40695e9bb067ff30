/** The real AWS SDK client against the local HTTP face. */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidDefinition,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { SignatureV4 } from '@smithy/signature-v4';
import { createStepFunctionsRequestListener } from '../../../local/stepfunctions';
import { NodeSha256 } from '../../../local/sigv4';
import { createHarness, ROLE, T0, type Harness } from './harness';

/** The stack's own credentials (the stack makes random ones per data folder: local/credentials.ts). */
const CREDENTIALS = { accessKeyId: 'LKIATESTTESTTESTTEST', secretAccessKey: 'the-stack-secret' };

interface RawAnswer {
  status: number;
  body: { __type: string; message: string };
  type?: string;
}

/** A POST exactly as given: headers, bytes, and a signature only when one is added. */
function rawPost(endpoint: string, headers: Record<string, string>, body: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(`${endpoint}/`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), type: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The headers the SDK would send for this body, signed with `credentials` (at `date`). */
async function signedHeaders(endpoint: string, target: string, body: string, credentials = CREDENTIALS, date = new Date(), region = 'cn-north-1') {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ credentials, region, service: 'states', sha256: NodeSha256, uriEscapePath: true });
  const signed = await signer.sign(
    { method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', query: {}, headers: { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target }, body },
    { signingDate: date },
  );
  return signed.headers as Record<string, string>;
}

describe('HTTP face with @aws-sdk/client-sfn', () => {
  let h: Harness;
  let server: Server;
  let client: SFNClient;
  let endpoint: string;
  let tokens: string[];

  beforeEach(async () => {
    h = await createHarness({ region: 'cn-north-1' });
    tokens = [];
    h.lambdas.set('notify', (p: { token: string }) => {
      tokens.push(p.token);
      return null;
    });
    server = createServer(createStepFunctionsRequestListener(h.sfn, { credentials: CREDENTIALS, region: 'cn-north-1' }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = new SFNClient({ endpoint, region: 'cn-north-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });

  afterEach(async () => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await h.cleanup();
  });

  const definition = JSON.stringify({
    StartAt: 'Approve',
    States: {
      Approve: {
        Type: 'Task',
        Resource: 'arn:aws-cn:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token' } },
        ResultPath: '$.decision',
        End: true,
      },
    },
  });

  test('a whole workflow: create, start, describe, history, callback, list', async () => {
    const created = await client.send(new CreateStateMachineCommand({ name: 'cases', definition, roleArn: ROLE }));
    expect(created.stateMachineArn).toBe('arn:aws-cn:states:cn-north-1:000000000000:stateMachine:cases');
    expect(created.creationDate).toEqual(new Date(T0));

    const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    expect(described).toMatchObject({ name: 'cases', definition, status: 'ACTIVE', type: 'STANDARD', roleArn: ROLE });
    expect((await client.send(new ListStateMachinesCommand({}))).stateMachines?.map((m) => m.name)).toEqual(['cases']);

    const started = await client.send(new StartExecutionCommand({ stateMachineArn: created.stateMachineArn, name: 'case-1', input: '{"id":"c-1"}' }));
    expect(started.executionArn).toBe('arn:aws-cn:states:cn-north-1:000000000000:execution:cases:case-1');
    expect(started.startDate).toEqual(new Date(T0));
    await h.sfn.idle();
    expect(h.lambdaCalls[0].functionArn).toBe('arn:aws-cn:lambda:cn-north-1:000000000000:function:notify');

    const running = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(running).toMatchObject({ status: 'RUNNING', name: 'case-1', input: '{"id":"c-1"}', stateMachineArn: created.stateMachineArn });
    expect(running.stopDate).toBeUndefined();

    await client.send(new SendTaskHeartbeatCommand({ taskToken: tokens[0] }));
    await h.clock.advance(1500);
    await client.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{"approved":true}' }));
    await h.sfn.idle();

    const done = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"id":"c-1","decision":{"approved":true}}', stopDate: new Date(T0 + 1500) });

    const events = (await client.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }))).events ?? [];
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events[0]).toMatchObject({ id: 1, previousEventId: 0, timestamp: new Date(T0), executionStartedEventDetails: { input: '{"id":"c-1"}', roleArn: ROLE } });
    expect(events[2].taskScheduledEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke.waitForTaskToken', region: 'cn-north-1' });
    expect(events[7].executionSucceededEventDetails?.output).toBe('{"id":"c-1","decision":{"approved":true}}');

    const listed = await client.send(new ListExecutionsCommand({ stateMachineArn: created.stateMachineArn }));
    expect(listed.executions?.map((e) => [e.name, e.status, e.startDate?.getTime()])).toEqual([['case-1', 'SUCCEEDED', T0]]);
  });

  test('errors arrive as the SDK exception classes', async () => {
    const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: 'cases', definition, roleArn: ROLE }));
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'dup', input: '{}' }));
    await h.sfn.idle();

    await expect(client.send(new StartExecutionCommand({ stateMachineArn, name: 'dup', input: '{"other":1}' }))).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await expect(client.send(new DescribeExecutionCommand({ executionArn: `${executionArn}-missing` }))).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(client.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}-missing` }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: 'garbage', output: '{}' }))).rejects.toBeInstanceOf(InvalidToken);
    await expect(
      client.send(new CreateStateMachineCommand({ name: 'broken', definition: '{"StartAt":"X","States":{}}', roleArn: ROLE })),
    ).rejects.toBeInstanceOf(InvalidDefinition);

    await client.send(new SendTaskFailureCommand({ taskToken: tokens[0], error: 'Rejected', cause: 'no' }));
    await h.sfn.idle();
    const failed = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'no' });
    const reused = client.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{}' }));
    await expect(reused).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(reused).rejects.toMatchObject({ name: 'TaskTimedOut', $metadata: { httpStatusCode: 400 } });
  });

  test('StopExecution', async () => {
    const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: 'cases', definition, roleArn: ROLE }));
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    await h.clock.advance(2000);
    const stopped = await client.send(new StopExecutionCommand({ executionArn, error: 'Withdrawn', cause: 'by citizen' }));
    expect(stopped.stopDate).toEqual(new Date(T0 + 2000));
    expect(await client.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'ABORTED', error: 'Withdrawn' });
  });

  test('malformed requests get JSON-protocol errors', async () => {
    const post = async (target: string, body: string) => rawPost(endpoint, await signedHeaders(endpoint, target, body), body);
    expect(await post('AWSStepFunctions.Nope', '{}')).toMatchObject({ status: 400, body: { __type: 'UnknownOperationException' } });
    expect(await post('AWSStepFunctions.DescribeExecution', '{oops')).toMatchObject({ status: 400, body: { __type: 'SerializationException' } });
    expect(await post('AWSStepFunctions.DescribeExecution', '{}')).toMatchObject({
      status: 400,
      body: { __type: 'ValidationException' },
      type: 'application/x-amz-json-1.0',
    });
  });

  describe('only requests signed with the stack\'s credentials are served', () => {
    const target = 'AWSStepFunctions.ListStateMachines';
    const body = '{}';
    const refused = (code: string) => ({ status: 403, body: { __type: code }, type: 'application/x-amz-json-1.0' });

    test('unsigned: MissingAuthenticationTokenException, and no operation is named', async () => {
      const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target };
      expect(await rawPost(endpoint, headers, body)).toMatchObject(refused('MissingAuthenticationTokenException'));
      expect(await rawPost(endpoint, { ...headers, 'x-amz-target': 'AWSStepFunctions.Nope' }, body)).toMatchObject(refused('MissingAuthenticationTokenException'));
    });

    test('another key id: UnrecognizedClientException; the right key id with another secret: InvalidSignatureException', async () => {
      const stranger = new SFNClient({ endpoint, region: 'cn-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
      await expect(stranger.send(new ListStateMachinesCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 403 } });
      stranger.destroy();
      const forger = new SFNClient({ endpoint, region: 'cn-north-1', credentials: { ...CREDENTIALS, secretAccessKey: 'guessed' }, maxAttempts: 1 });
      await expect(forger.send(new ListStateMachinesCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
      forger.destroy();
    });

    test('a signed request whose body, target or host was changed afterwards: InvalidSignatureException', async () => {
      const headers = await signedHeaders(endpoint, target, body);
      expect(await rawPost(endpoint, headers, '{"maxResults":1}')).toMatchObject(refused('InvalidSignatureException'));
      expect(await rawPost(endpoint, { ...headers, 'x-amz-target': 'AWSStepFunctions.StopExecution' }, body)).toMatchObject(refused('InvalidSignatureException'));
      expect(await rawPost(endpoint, { ...headers, host: 'localhost:1' }, body)).toMatchObject(refused('InvalidSignatureException'));
      expect(await rawPost(endpoint, headers, body)).toMatchObject({ status: 200 }); // the untouched one passes
    });

    test('an old signature, another region, a partial Authorization header', async () => {
      const old = await signedHeaders(endpoint, target, body, CREDENTIALS, new Date(Date.now() - 20 * 60_000));
      expect(await rawPost(endpoint, old, body)).toMatchObject(refused('InvalidSignatureException'));
      const elsewhere = await signedHeaders(endpoint, target, body, CREDENTIALS, new Date(), 'us-east-1');
      expect(await rawPost(endpoint, elsewhere, body)).toMatchObject(refused('InvalidSignatureException'));
      const headers = await signedHeaders(endpoint, target, body);
      expect(await rawPost(endpoint, { ...headers, authorization: headers.authorization.replace(/, Signature=.*$/, '') }, body)).toMatchObject(refused('IncompleteSignatureException'));
    });
  });
});
