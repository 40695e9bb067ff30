import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { issueOpen311Key, KeyRefused } from '../functions/open311/keys';
import { Open311KeyStore } from '../functions/store/open311-key-store';
import { loadOrCreateServiceCredentials } from '../local/credentials';
import { dynamoDbClient } from '../local/dynamodb';
import { localSettings } from '../local/settings';

const USAGE = `usage:
  npm run -s open311-key -- --unit <unit id> [--label <who it is for>]
      an api_key for the local stack (npm start running), printed once
  npm run -s open311-key -- --unit <unit id> --aws --table <CasesTableName> [--label <text>]
      the same in AWS, with your own AWS credentials and region (the SDK's usual chain)
  add --revoke <api_key> instead of --unit to revoke a key

A key goes to a unit that accepts cases: a community, or the supervision centre for the city hotline.
Only its SHA-256 hash is stored; the key itself is shown here once.`;

/**
 * Issues (or revokes) an Open311 api_key. Locally it writes to the local stack's DynamoDB Local
 * with the stack's own credentials; with --aws it writes to the deployed table as whoever runs it,
 * through the same function (functions/open311/keys.ts).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      unit: { type: 'string' },
      label: { type: 'string' },
      aws: { type: 'boolean', default: false },
      table: { type: 'string' },
      revoke: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || (!values.unit && !values.revoke)) throw new Error(USAGE);
  let client: DynamoDBClient;
  let table: string;
  if (values.aws) {
    if (!values.table) throw new Error(`--aws needs --table (the stack's CasesTableName output).\n${USAGE}`);
    client = new DynamoDBClient({});
    table = values.table;
  } else {
    const settings = localSettings();
    const credentials = await loadOrCreateServiceCredentials(settings.keysDir);
    client = dynamoDbClient(settings.dynamoDbEndpoint ?? `http://127.0.0.1:${settings.dynamoDbPort}`, credentials);
    table = values.table ?? settings.tableName;
  }
  const store = new Open311KeyStore(DynamoDBDocumentClient.from(client), table);
  try {
    if (values.revoke) {
      const revoked = await store.revoke(values.revoke.trim());
      process.stdout.write(revoked ? 'revoked\n' : 'no such key\n');
      if (!revoked) process.exitCode = 1;
      return;
    }
    const issued = await issueOpen311Key(store, values.unit as string, Date.now(), values.label);
    process.stderr.write(`key ${issued.keyId} for ${values.unit}: keep it secret; only its hash is stored\n`);
    process.stdout.write(`${issued.apiKey}\n`);
  } finally {
    client.destroy();
  }
}

main().catch((error: Error) => {
  const local = !process.argv.includes('--aws') && /ECONNREFUSED|connect/i.test(String(error.message));
  process.stderr.write(`${error instanceof KeyRefused ? error.message : local ? `The local stack's DynamoDB does not answer: start it with npm start. (${error.message})` : error.message}\n`);
  process.exit(2);
});
