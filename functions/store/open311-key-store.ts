import { createHash, randomBytes } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { TABLE_KEYS, TTL_ATTRIBUTE } from './table-design';

/*
 * Open311 api_keys and request tokens in the one table (items listed in table-design.ts):
 *   OPEN311KEY#<sha256 of the key, hex> / OPEN311KEY     the unit the key posts for; the key itself is never stored
 *   OPEN311TOKEN#<token>                / OPEN311TOKEN   the case a POST's token names (expires by TTL)
 * A key is 32 random bytes (256 bits), so one unsalted SHA-256 is as good as a slow hash:
 * nobody can guess a key from its hash, and a lookup is one GetItem.
 */
const KEY_SK = 'OPEN311KEY';
const TOKEN_SK = 'OPEN311TOKEN';
const KEY_PREFIX = 'o311_';

export const hashOfKey = (apiKey: string): string => createHash('sha256').update(apiKey, 'utf8').digest('hex');
const keyPk = (hash: string) => `OPEN311KEY#${hash}`;
const tokenPk = (token: string) => `OPEN311TOKEN#${token}`;

/** How long a POST's token answers GET tokens/{token}. */
export const TOKEN_DAYS = 90;

export interface IssuedKey {
  /** Shown once, to whoever issued it; only its hash is kept. */
  readonly apiKey: string;
  /** The key's public name: the first 12 hex digits of its hash (timelines name the key by it). */
  readonly keyId: string;
}

export interface KeyHolder {
  readonly unit: string;
  readonly keyId: string;
}

export class Open311KeyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** A new key for `unit` (which the caller has checked may accept cases). */
  async issue(unit: string, issuedAt: string, label?: string): Promise<IssuedKey> {
    const apiKey = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const hash = hashOfKey(apiKey);
    const keyId = hash.slice(0, 12);
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { [TABLE_KEYS.partitionKey]: keyPk(hash), [TABLE_KEYS.sortKey]: KEY_SK, unit, keyId, issuedAt, ...(label ? { label } : {}) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { apiKey, keyId };
  }

  /** Who holds `apiKey`, or undefined for a key never issued or revoked. */
  async holderOf(apiKey: string): Promise<KeyHolder | undefined> {
    if (!apiKey.startsWith(KEY_PREFIX) || apiKey.length > 100) return undefined;
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { [TABLE_KEYS.partitionKey]: keyPk(hashOfKey(apiKey)), [TABLE_KEYS.sortKey]: KEY_SK } }),
    );
    return typeof Item?.unit === 'string' && typeof Item.keyId === 'string' ? { unit: Item.unit, keyId: Item.keyId } : undefined;
  }

  /** Revokes a key (given whole: only its holder or the operator who issued it has it). True when it existed. */
  async revoke(apiKey: string): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { [TABLE_KEYS.partitionKey]: keyPk(hashOfKey(apiKey)), [TABLE_KEYS.sortKey]: KEY_SK },
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** A new token naming `caseId`, written before the case so a client never holds a token that names nothing it could look up later. */
  async newToken(caseId: string, nowSeconds: number): Promise<string> {
    const token = randomBytes(16).toString('hex');
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { [TABLE_KEYS.partitionKey]: tokenPk(token), [TABLE_KEYS.sortKey]: TOKEN_SK, caseId, [TTL_ATTRIBUTE]: nowSeconds + TOKEN_DAYS * 86400 },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return token;
  }

  async caseIdOfToken(token: string): Promise<string | undefined> {
    if (!/^[0-9a-f]{32}$/.test(token)) return undefined;
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { [TABLE_KEYS.partitionKey]: tokenPk(token), [TABLE_KEYS.sortKey]: TOKEN_SK } }),
    );
    return typeof Item?.caseId === 'string' ? Item.caseId : undefined;
  }
}
