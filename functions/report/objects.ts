/**
 * Where the published report files go: the reports bucket in AWS (REPORT_BUCKET), a folder on
 * this machine in the local stack (REPORT_DIR). Keys are stable per month, so a re-run
 * overwrites (the bucket keeps the earlier version).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SDK_RETRY } from '../commons/clients/settings';

export interface ReportObjects {
  /** Stores the object and returns where it is (s3://bucket/key or file:///path). */
  put(key: string, body: string, contentType: string): Promise<string>;
}

export const monthlyReportKeys = (month: string) => ({
  json: `monthly/${month.slice(0, 4)}/${month}.json`,
  csv: `monthly/${month.slice(0, 4)}/${month}.csv`,
});

let s3: S3Client | undefined;

export function s3Objects(bucket: string, client: S3Client = (s3 ??= new S3Client({ ...SDK_RETRY }))): ReportObjects {
  return {
    async put(key, body, contentType) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
      return `s3://${bucket}/${key}`;
    },
  };
}

export function folderObjects(folder: string): ReportObjects {
  return {
    async put(key, body) {
      const file = resolve(join(folder, key));
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, body);
      return `file://${file}`;
    },
  };
}

/** The configured destination: REPORT_BUCKET, else REPORT_DIR. */
export function reportObjects(): ReportObjects {
  if (process.env.REPORT_BUCKET) return s3Objects(process.env.REPORT_BUCKET);
  if (process.env.REPORT_DIR) return folderObjects(process.env.REPORT_DIR);
  throw new Error('Neither REPORT_BUCKET nor REPORT_DIR is set: nowhere to write the report files.');
}
