import { createHash, createHmac, timingSafeEqual, type BinaryLike } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ServiceCredentials } from './credentials';

/*
 * Signature Version 4 verification for the local service endpoints, as AWS checks a request: the
 * key id must be the stack's own, the scope its region and the service's name, the date within 15
 * minutes of now, and the signature the one the stack's secret gives for the same request. The
 * signature is recomputed with @smithy/signature-v4, the signer the AWS SDK itself uses, over the
 * headers the request says it signed, so the canonical request is built exactly as the client built it.
 */
export interface SigV4Refusal {
  readonly code: 'MissingAuthenticationTokenException' | 'IncompleteSignatureException' | 'UnrecognizedClientException' | 'InvalidSignatureException';
  readonly message: string;
}

export interface SigV4Expectation {
  readonly credentials: ServiceCredentials;
  readonly region: string;
  readonly service: string;
  /** Real time, epoch ms (the SDK signs with the machine's clock, not the stack's virtual one). */
  readonly nowMs?: number;
}

const MAX_SKEW_MS = 15 * 60_000;
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;._-]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape the signer asks for. */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): BinaryLike =>
  typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);

export class NodeSha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

const refuse = (code: SigV4Refusal['code'], message: string): SigV4Refusal => ({ code, message });
const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

/** Undefined when the request is signed with the expected credentials; else why not, in AWS's words. */
export async function verifySigV4(
  request: { method: string; url: string; headers: IncomingHttpHeaders },
  body: Buffer,
  expected: SigV4Expectation,
): Promise<SigV4Refusal | undefined> {
  const authorization = headerValue(request.headers, 'authorization');
  if (!authorization) return refuse('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const parsed = AUTHORIZATION.exec(authorization);
  if (!parsed) return refuse('IncompleteSignatureException', 'The Authorization header is not a complete AWS4-HMAC-SHA256 signature.');
  const [, accessKeyId, scopeDate, region, service, signedHeaderList, signature] = parsed;
  if (accessKeyId !== expected.credentials.accessKeyId) {
    return refuse('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  const amzDate = headerValue(request.headers, 'x-amz-date') ?? '';
  const date = AMZ_DATE.exec(amzDate);
  if (!date) return refuse('IncompleteSignatureException', 'The request must carry an X-Amz-Date header (yyyyMMddTHHmmssZ).');
  const signingDate = new Date(Date.UTC(+date[1], +date[2] - 1, +date[3], +date[4], +date[5], +date[6]));
  if (amzDate.slice(0, 8) !== scopeDate) return refuse('InvalidSignatureException', 'The credential scope date does not match X-Amz-Date.');
  if (Math.abs((expected.nowMs ?? Date.now()) - signingDate.getTime()) > MAX_SKEW_MS) {
    return refuse('InvalidSignatureException', `Signature expired: ${amzDate} is more than 15 minutes from the current time.`);
  }
  if (region !== expected.region) return refuse('InvalidSignatureException', `Credential should be scoped to a valid region, not '${region}'; the local stack is '${expected.region}'.`);
  if (service !== expected.service) return refuse('InvalidSignatureException', `Credential should be scoped to correct service: '${expected.service}'.`);
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) {
    return refuse('InvalidSignatureException', 'The signature must cover the Host and X-Amz-Date headers.');
  }
  // A payload hash header must be the body's: the signature covers the header, not the bytes.
  const declaredHash = headerValue(request.headers, 'x-amz-content-sha256');
  if (declaredHash !== undefined && declaredHash !== createHash('sha256').update(body).digest('hex')) {
    return refuse('InvalidSignatureException', 'The X-Amz-Content-Sha256 header does not match the body.');
  }

  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = headerValue(request.headers, name);
    if (value === undefined) return refuse('InvalidSignatureException', `The signed header ${name} is missing.`);
    headers[name] = value;
  }
  const url = new URL(request.url, 'http://local');
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const signer = new SignatureV4({ credentials: expected.credentials, region, service, sha256: NodeSha256, uriEscapePath: true, applyChecksum: false });
  const resigned = await signer.sign(
    { method: request.method, protocol: 'http:', hostname: 'local', path: url.pathname, query, headers, body },
    { signingDate, signableHeaders: new Set(signedHeaders), signingRegion: region, signingService: service },
  );
  const expectedSignature = /Signature=([0-9a-f]{64})$/.exec(String(resigned.headers.authorization))?.[1] ?? '';
  const matches = expectedSignature.length === signature.length && timingSafeEqual(Buffer.from(expectedSignature), Buffer.from(signature));
  if (!matches) {
    return refuse('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
  }
  return undefined;
}
