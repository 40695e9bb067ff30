import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/*
 * The local stack's own AWS credentials: made at the first start of a data folder, kept beside its
 * JWT keys (never committed, readable by the owner only), handed to the in-process functions
 * through the SDK's environment variables, and the only ones its local service endpoints accept.
 * Any other process on the machine must read this file to call them, as it would need keys for AWS.
 */
export interface ServiceCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export const CREDENTIALS_FILE = 'aws-credentials.json';

export async function loadOrCreateServiceCredentials(keysDir: string): Promise<ServiceCredentials> {
  const file = join(keysDir, CREDENTIALS_FILE);
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as Partial<ServiceCredentials>;
    if (typeof stored.accessKeyId === 'string' && typeof stored.secretAccessKey === 'string') {
      return { accessKeyId: stored.accessKeyId, secretAccessKey: stored.secretAccessKey };
    }
    throw new Error(`${file} does not hold an accessKeyId and a secretAccessKey; delete it to make new ones.`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // The shape of AWS keys: a 20-character key id (LKIA: local), a 40-character secret.
  const credentials = {
    accessKeyId: `LKIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
  };
  await mkdir(keysDir, { recursive: true });
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    // Another process made them first: use theirs.
    if (error.code !== 'EEXIST') throw error;
  });
  return loadOrCreateServiceCredentials(keysDir);
}
