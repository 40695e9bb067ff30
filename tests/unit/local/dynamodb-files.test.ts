import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adoptSharedDatabase, databaseFileOf } from '../../../local/dynamodb';

/** A data folder from before the stack kept its tables under its own key id keeps its cases. */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddb-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('the shared database becomes the stack\'s own, once', () => {
  writeFileSync(join(dir, 'shared-local-instance.db'), 'cases');
  expect(adoptSharedDatabase(dir, 'LKIA0123')).toBe(true);
  expect(readFileSync(join(dir, databaseFileOf('LKIA0123')), 'utf8')).toBe('cases');
  expect(existsSync(join(dir, 'shared-local-instance.db'))).toBe(false);
  expect(adoptSharedDatabase(dir, 'LKIA0123')).toBe(false);
});

test('an own database is never replaced, and a folder without a shared one is left alone', () => {
  writeFileSync(join(dir, databaseFileOf('LKIA0123')), 'newer');
  writeFileSync(join(dir, 'shared-local-instance.db'), 'older');
  expect(adoptSharedDatabase(dir, 'LKIA0123')).toBe(false);
  expect(readFileSync(join(dir, databaseFileOf('LKIA0123')), 'utf8')).toBe('newer');
  expect(adoptSharedDatabase(join(dir, 'missing'), 'LKIA0123')).toBe(false);
});

test('the file is named by key id and region, as DynamoDB Local names it', () => {
  expect(databaseFileOf('LKIA0123')).toBe('LKIA0123_cn-north-1.db');
});
