/**
 * The SMS provider adapter for China's regions: Alibaba Cloud SMS (Dysmsapi, `SendSms`, version
 * 2017-05-25), called in its RPC style over HTTPS with node:crypto and fetch — no SDK, whose
 * client and its dependencies would add more than the whole adapter to the workflow and sweep
 * bundles (infra/bundling.ts budgets them) for one signed POST.
 *
 * China sends only registered templates under a registered signature (SignName): the account
 * registers one notification template whose whole body is one variable, `${content}`, and this
 * adapter sends our already-rendered Chinese text as that variable (TemplateParam
 * `{"content": text}`), so every notification code goes through the same template
 * (docs/notifications.md, "Regions without SNS SMS").
 *
 * Answers (the `SmsProvider` contract, functions/notify/sms.ts):
 * - Code `OK`: sent;
 * - a code about this number or this text that no retry will change: refused with the reason;
 * - a code about the account, its signature or template, its credentials: unavailable (parked
 *   for the operator, who fixes the configuration and re-sends);
 * - throttling, the provider's own errors, 5xx, a timeout or no answer: thrown, and the sweep
 *   retries with back-off.
 * The notification id goes as `OutId`, the provider's client reference.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { SmsMessage, SmsProvider, SmsResult } from './sms';

export interface AliyunSmsConfig {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** The registered signature, e.g. 某某市联动处置中心. */
  readonly signName: string;
  /** The registered template whose body is `${content}`, e.g. SMS_123456789. */
  readonly templateCode: string;
}

export interface AliyunSmsOptions {
  /** Read once and kept (see `onceAtColdStart`); a rejection is retried at the next send. */
  readonly config: () => Promise<AliyunSmsConfig>;
  /** Default https://dysmsapi.aliyuncs.com/ (tests point it at a local server). */
  readonly endpoint?: string;
  /** Milliseconds to wait for an answer before the send counts as a passing failure. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  readonly nonce?: () => string;
}

export const ALIYUN_SMS_ENDPOINT = 'https://dysmsapi.aliyuncs.com/';
/** The template's one variable, which carries our whole text. */
export const ALIYUN_TEMPLATE_VARIABLE = 'content';

/**
 * Aliyun's POP percent-encoding: RFC 3986 unreserved characters (A-Z a-z 0-9 - _ . ~) stay,
 * everything else is %XX of its UTF-8 bytes in upper case (so a space is %20, `*` is %2A).
 */
export const percentEncode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Parameters sorted by name (byte order), each name=value percent-encoded, joined by `&`. */
export const canonicalQuery = (params: Readonly<Record<string, string>>): string =>
  Object.keys(params)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => `${percentEncode(key)}=${percentEncode(params[key]!)}`)
    .join('&');

/** HTTPMethod & percentEncode("/") & percentEncode(canonical query). */
export const stringToSign = (method: 'GET' | 'POST', params: Readonly<Record<string, string>>): string =>
  `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;

/** Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)): SignatureMethod HMAC-SHA1, SignatureVersion 1.0. */
export const rpcSignature = (method: 'GET' | 'POST', params: Readonly<Record<string, string>>, accessKeySecret: string): string =>
  createHmac('sha1', `${accessKeySecret}&`).update(stringToSign(method, params), 'utf8').digest('base64');

/** ISO 8601 in UTC to the second, as the API wants it: 2026-12-06T09:30:00Z. */
const timestamp = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;

/** Aliyun takes a mainland number as its 11 digits; +86 and 0086 are dropped. */
export const mainlandNumber = (phone: string): string => phone.replace(/^(\+86|0086)/, '');

/** Codes that mean this number, or this text, will never be delivered: recorded as refused, not retried. */
const REFUSED: Readonly<Record<string, string>> = {
  'isv.MOBILE_NUMBER_ILLEGAL': 'the number is not a valid mobile number',
  'isv.MOBILE_COUNT_OVER_LIMIT': 'too many numbers in one request',
  'isv.BLACK_KEY_CONTROL_LIMIT': 'the text holds a keyword the provider blocks',
  'isv.PARAM_NOT_SUPPORT_URL': 'the text holds a URL, which a template variable may not',
  'isv.NOT_SUPPORTED_COUNTRY': 'the number is not in a country the account sends to',
};

/** Codes about the account, its registrations or its credentials: nothing sends until an operator acts. */
const UNAVAILABLE = new Set([
  'isv.SMS_SIGNATURE_ILLEGAL',
  'isv.SMS_SIGN_NAME_ILLEGAL',
  'isv.SMS_TEMPLATE_ILLEGAL',
  'isv.SMS_CONTENT_CODE_ILLEGAL',
  'isv.TEMPLATE_MISSING_PARAMETERS',
  'isv.CONTENT_MISSING_PARAMETERS',
  'isv.TEMPLATE_PARAMS_ILLEGAL',
  'isv.INVALID_JSON_PARAM',
  'isv.PARAM_LENGTH_LIMIT',
  'isv.INVALID_PARAMETERS',
  'isv.OUT_OF_SERVICE',
  'isv.AMOUNT_NOT_ENOUGH',
  'isv.BILLING_DEDUCTION_ERROR',
  'isv.PRODUCT_UN_SUBSCRIPT',
  'isv.PRODUCT_UNSUBSCRIBE',
  'isv.ACCOUNT_NOT_EXISTS',
  'isv.ACCOUNT_ABNORMAL',
  'isv.FORBIDDEN_ACTION',
  'isv.DENY_IP_RANGE',
  'isp.RAM_PERMISSION_DENY',
  'isv.RAM_CHECK_FAILED',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidAccessKeyId.NotFound',
  'InvalidAccessKeyId.Inactive',
  'Forbidden.RAM',
  'Forbidden.AccessKeyDisabled',
]);

/** The provider's answer to a send. */
interface SendSmsAnswer {
  readonly Code?: unknown;
  readonly Message?: unknown;
  readonly RequestId?: unknown;
  readonly BizId?: unknown;
}

/** A passing failure (throttled, the provider's error, no answer): thrown so the sweep retries. */
export class AliyunSmsUnavailableForNow extends Error {
  override readonly name = 'AliyunSmsUnavailableForNow';
}

export function aliyunSms(options: AliyunSmsOptions): SmsProvider {
  const endpoint = options.endpoint ?? ALIYUN_SMS_ENDPOINT;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const fetchFn = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  const nonce = options.nonce ?? randomUUID;
  const config = onceAtColdStart(options.config);

  return {
    async send(message: SmsMessage): Promise<SmsResult> {
      const { accessKeyId, accessKeySecret, signName, templateCode } = await config();
      const params: Record<string, string> = {
        AccessKeyId: accessKeyId,
        Action: 'SendSms',
        Format: 'JSON',
        OutId: message.reference,
        PhoneNumbers: mainlandNumber(message.to),
        RegionId: 'cn-hangzhou',
        SignName: signName,
        SignatureMethod: 'HMAC-SHA1',
        SignatureNonce: nonce(),
        SignatureVersion: '1.0',
        TemplateCode: templateCode,
        TemplateParam: JSON.stringify({ [ALIYUN_TEMPLATE_VARIABLE]: message.text }),
        Timestamp: timestamp(now()),
        Version: '2017-05-25',
      };
      const body = `${canonicalQuery(params)}&Signature=${percentEncode(rpcSignature('POST', params, accessKeySecret))}`;

      let response: Response;
      try {
        response = await fetchFn(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'application/json' },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        // The message names the cause (timeout, refused connection); the request, with its signature, is not in it.
        throw new AliyunSmsUnavailableForNow(`Aliyun SMS did not answer: ${(error as Error).name}: ${(error as Error).message}`);
      }
      const text = await response.text().catch(() => '');
      const answer = parseAnswer(text);
      if (response.status >= 500 || answer === undefined || typeof answer.Code !== 'string') {
        throw new AliyunSmsUnavailableForNow(`Aliyun SMS answered HTTP ${response.status}${answer?.Code ? ` ${String(answer.Code)}` : ''}`);
      }
      return resultOf(answer.Code, typeof answer.Message === 'string' ? answer.Message : '', message);
    },
  };
}

function parseAnswer(text: string): SendSmsAnswer | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as SendSmsAnswer) : undefined;
  } catch {
    return undefined;
  }
}

/** The provider's code, mapped to the contract's answer; an unknown code is a passing failure. */
export function resultOf(code: string, providerMessage: string, message: SmsMessage): SmsResult {
  if (code === 'OK') return { status: 'sent' };
  const said = providerMessage ? ` (${providerMessage})` : '';
  const refused = REFUSED[code];
  if (refused !== undefined) return { status: 'refused', reason: `Aliyun SMS refused ${message.to}: ${refused}: ${code}${said}` };
  if (UNAVAILABLE.has(code)) return { status: 'unavailable', reason: `Aliyun SMS cannot send from this account until an operator acts: ${code}${said}` };
  // isv.BUSINESS_LIMIT_CONTROL (per-number minute/hour/day limits), isv.DAY_LIMIT_CONTROL,
  // Throttling.*, isp.SYSTEM_ERROR, isp.GATEWAY_ERROR, ServiceUnavailable and any code not known here.
  throw new AliyunSmsUnavailableForNow(`Aliyun SMS did not send now: ${code}${said}`);
}

/**
 * Runs `load` at the first call and keeps its result for the container's life (credentials are
 * read once per cold start); a failed load is forgotten so the next send tries again.
 */
export function onceAtColdStart<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/** The secret's JSON: `{"accessKeyId", "accessKeySecret", "signName", "templateCode"}`, each a non-empty string. */
export function parseAliyunSmsSecret(secret: string): AliyunSmsConfig {
  let value: unknown;
  try {
    value = JSON.parse(secret);
  } catch {
    throw new Error('The Aliyun SMS secret is not JSON; it must be {"accessKeyId","accessKeySecret","signName","templateCode"}.');
  }
  const fields = ['accessKeyId', 'accessKeySecret', 'signName', 'templateCode'] as const;
  const record = (value ?? {}) as Record<string, unknown>;
  const missing = fields.filter((field) => typeof record[field] !== 'string' || (record[field] as string).trim() === '');
  // Names the missing fields only: the secret's values are never put in a message.
  if (typeof value !== 'object' || missing.length > 0) throw new Error(`The Aliyun SMS secret lacks ${missing.join(', ') || 'its fields'}.`);
  return {
    accessKeyId: record.accessKeyId as string,
    accessKeySecret: record.accessKeySecret as string,
    signName: record.signName as string,
    templateCode: record.templateCode as string,
  };
}
