import { join, resolve } from 'node:path';

/**
 * Where the local stack keeps its state, and the ports it uses; each can be overridden.
 * `npm start -- --reset` empties `stateDir` only: the signing keys (and so issued tokens) survive.
 */
export const localSettings = () => {
  const dataDir = resolve(process.env.LOCAL_DATA_DIR ?? '.local');
  return {
    dataDir,
    keysDir: join(dataDir, 'keys'),
    stateDir: join(dataDir, 'state'),
    port: Number(process.env.PORT ?? 3000),
    dynamoDbPort: Number(process.env.DYNAMODB_PORT ?? 8000),
    /** A DynamoDB (Local) already running elsewhere: the stack uses it instead of starting its own. */
    dynamoDbEndpoint: process.env.DYNAMODB_ENDPOINT || undefined,
    tableName: process.env.CASES_TABLE ?? 'linked-resolution-cases',
    timeScale: Number(process.env.TIME_SCALE ?? 1),
  };
};
