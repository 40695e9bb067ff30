import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  aliyunSms,
  canonicalQuery,
  onceAtColdStart,
  parseAliyunSmsSecret,
  percentEncode,
  rpcSignature,
  stringToSign,
  type AliyunSmsConfig,
} from '../../../functions/notify/aliyun-sms';
import { smsProviderOf } from '../../../functions/notify/deployment';
import { readSecretString, secretsManagerEndpoint } from '../../../functions/notify/secrets-manager';
import { verifySigV4 } from '../../../local/sigv4';

/**
 * The documented steps of Aliyun's RPC signature (SignatureVersion 1.0), written out here apart
 * from the adapter: encode each name and value (unreserved A-Z a-z 0-9 - _ . ~ kept, everything
 * else %XX in upper case), sort by name, join name=value with &, then
 * StringToSign = METHOD + "&" + encode("/") + "&" + encode(that string), and
 * Signature = Base64(HMAC-SHA1(secret + "&", StringToSign)).
 */
const UNRESERVED = /[A-Za-z0-9\-_.~]/;
function encodeByHand(value: string): string {
  let out = '';
  for (const char of value) {
    if (UNRESERVED.test(char)) out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
function signByHand(method: string, params: Record<string, string>, secret: string): { toSign: string; signature: string } {
  const names = Object.keys(params).sort();
  const query = names.map((name) => `${encodeByHand(name)}=${encodeByHand(params[name]!)}`).join('&');
  const toSign = `${method}&${encodeByHand('/')}&${encodeByHand(query)}`;
  return { toSign, signature: createHmac('sha1', Buffer.from(`${secret}&`, 'utf8')).update(Buffer.from(toSign, 'utf8')).digest('base64') };
}

// The parameters of the worked example in Aliyun's signature documentation (ECS DescribeRegions).
const DOCUMENTED_EXAMPLE = {
  AccessKeyId: 'testid',
  Action: 'DescribeRegions',
  Format: 'XML',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
  SignatureVersion: '1.0',
  Timestamp: '2016-02-23T12:46:24Z',
  Version: '2014-05-26',
};

describe('the Aliyun RPC signature', () => {
  it('gives the documented string-to-sign and signature for the documented example', () => {
    const expected =
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1' +
      '%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0' +
      '%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26';
    expect(signByHand('GET', DOCUMENTED_EXAMPLE, 'testsecret').toSign).toBe(expected);
    expect(stringToSign('GET', DOCUMENTED_EXAMPLE)).toBe(expected);
    // The documented result for the secret "testsecret".
    expect(rpcSignature('GET', DOCUMENTED_EXAMPLE, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
    expect(signByHand('GET', DOCUMENTED_EXAMPLE, 'testsecret').signature).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  it('signs a SendSms with Chinese text, JSON and reserved characters as the steps say', () => {
    const params = {
      AccessKeyId: 'LTAI-example',
      Action: 'SendSms',
      Format: 'JSON',
      OutId: 'case-1:1:NEW_CASE:street-xiling-xiling:sms:13910166299',
      PhoneNumbers: '13910166299',
      RegionId: 'cn-hangzhou',
      SignName: '宜昌市联动处置中心',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: 'nonce-1',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_123456789',
      TemplateParam: JSON.stringify({ content: "新案件「楼道堆放杂物」(*急*) 请于3月10日 09:00前签收! ~'ok'" }),
      Timestamp: '2026-12-06T01:30:00Z',
      Version: '2017-05-25',
    };
    const byHand = signByHand('POST', params, 'secret/with+odd=chars');
    expect(stringToSign('POST', params)).toBe(byHand.toSign);
    expect(rpcSignature('POST', params, 'secret/with+odd=chars')).toBe(byHand.signature);
    expect(percentEncode("a b*c~d!'()")).toBe('a%20b%2Ac~d%21%27%28%29');
    expect(canonicalQuery({ b: '2', a: '1', B: '3' })).toBe('B=3&a=1&b=2');
  });
});

type Answer = (params: URLSearchParams, res: ServerResponse) => void;

describe('the Aliyun SMS adapter against a local server', () => {
  let server: Server;
  let base: string;
  let answer: Answer;
  const received: URLSearchParams[] = [];
  const open = new Set<ServerResponse>();
  const config: AliyunSmsConfig = { accessKeyId: 'LTAI-test', accessKeySecret: 'test-secret', signName: '宜昌市联动处置中心', templateCode: 'SMS_123456789' };
  const json = (res: ServerResponse, status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const params = new URLSearchParams(body);
        received.push(params);
        open.add(res);
        res.on('close', () => open.delete(res));
        answer(params, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    for (const res of open) res.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => (received.length = 0));

  // The time limit is far above what a local answer takes on a loaded machine; the "timeout" case never answers.
  const adapter = (load: () => Promise<AliyunSmsConfig> = async () => config) =>
    aliyunSms({ config: load, endpoint: base, timeoutMs: 1500, now: () => new Date('2026-12-06T01:30:00.000Z'), nonce: () => 'nonce-1' });
  const message = { to: '+8613910166299', text: '新案件「楼道堆放杂物」交西陵街道办事处办理，请于3月10日 09:00前签收。', reference: 'case-1:1:NEW_CASE:street-xiling-xiling:sms:13910166299' };

  it('sends a correctly signed SendSms and answers sent on Code OK', async () => {
    answer = (_params, res) => json(res, 200, { Code: 'OK', Message: 'OK', RequestId: 'r-1', BizId: 'b-1' });
    await expect(adapter().send(message)).resolves.toEqual({ status: 'sent' });
    expect(received).toHaveLength(1);
    const params = Object.fromEntries(received[0]!);
    expect(params).toMatchObject({
      Action: 'SendSms',
      Version: '2017-05-25',
      AccessKeyId: 'LTAI-test',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: 'nonce-1',
      Timestamp: '2026-12-06T01:30:00Z',
      PhoneNumbers: '13910166299',
      SignName: '宜昌市联动处置中心',
      TemplateCode: 'SMS_123456789',
      OutId: message.reference,
    });
    expect(JSON.parse(params.TemplateParam!)).toEqual({ content: message.text });
    // The server checks the signature as Aliyun does: by recomputing it from what it received.
    const { Signature, ...signed } = params;
    expect(Signature).toBe(signByHand('POST', signed, 'test-secret').signature);
  });

  it('answers refused with the reason for a number the provider rejects, and unavailable for an account problem', async () => {
    answer = (_params, res) => json(res, 200, { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号', RequestId: 'r-2' });
    const refused = await adapter().send({ ...message, to: '1391016' });
    expect(refused).toEqual({ status: 'refused', reason: expect.stringContaining('isv.MOBILE_NUMBER_ILLEGAL') });
    expect(refused).toEqual({ status: 'refused', reason: expect.stringContaining('1391016') });

    answer = (_params, res) => json(res, 200, { Code: 'isv.BLACK_KEY_CONTROL_LIMIT', Message: '黑名单管控' });
    expect(await adapter().send(message)).toMatchObject({ status: 'refused' });

    answer = (_params, res) => json(res, 400, { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched with our calculation.' });
    expect(await adapter().send(message)).toEqual({ status: 'unavailable', reason: expect.stringContaining('SignatureDoesNotMatch') });
    answer = (_params, res) => json(res, 200, { Code: 'isv.SMS_TEMPLATE_ILLEGAL', Message: '模板不合法' });
    expect(await adapter().send(message)).toMatchObject({ status: 'unavailable' });
  });

  it('throws on throttling, a 500, an answer that is not the API and a timeout, so the sweep retries', async () => {
    answer = (_params, res) => json(res, 200, { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控Permits:1' });
    await expect(adapter().send(message)).rejects.toThrow(/isv\.BUSINESS_LIMIT_CONTROL/);

    answer = (_params, res) => json(res, 500, { Code: 'isp.SYSTEM_ERROR', Message: 'System error' });
    await expect(adapter().send(message)).rejects.toThrow(/HTTP 500/);

    answer = (_params, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
    await expect(adapter().send(message)).rejects.toThrow(/HTTP 502/);

    answer = () => undefined; // never answers
    await expect(adapter().send(message)).rejects.toThrow(/did not answer: TimeoutError/);
  });

  it('never puts the secret in an error, and reads the configuration once while it succeeds', async () => {
    answer = () => undefined;
    const error = await adapter()
      .send(message)
      .catch((e: Error) => e);
    expect(String((error as Error).message)).not.toContain('test-secret');

    answer = (_params, res) => json(res, 200, { Code: 'OK' });
    const load = jest.fn().mockRejectedValueOnce(new Error('Secrets Manager is unreachable')).mockResolvedValue(config);
    const sms = adapter(load);
    await expect(sms.send(message)).rejects.toThrow(/unreachable/);
    await expect(sms.send(message)).resolves.toEqual({ status: 'sent' });
    await expect(sms.send(message)).resolves.toEqual({ status: 'sent' });
    expect(load).toHaveBeenCalledTimes(2);
  });
});

describe('the Aliyun SMS secret', () => {
  it('is JSON with four non-empty strings, and an error names what lacks, never a value', () => {
    const good = { accessKeyId: 'LTAI-x', accessKeySecret: 's3cr3t', signName: '签名', templateCode: 'SMS_1' };
    expect(parseAliyunSmsSecret(JSON.stringify(good))).toEqual(good);
    expect(() => parseAliyunSmsSecret('s3cr3t')).toThrow(/not JSON/);
    expect(() => parseAliyunSmsSecret(JSON.stringify({ ...good, templateCode: ' ' }))).toThrow(/lacks templateCode/);
    let message = '';
    try {
      parseAliyunSmsSecret(JSON.stringify({ accessKeySecret: 's3cr3t' }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/lacks accessKeyId, signName, templateCode/);
    expect(message).not.toContain('s3cr3t');
  });

  it('onceAtColdStart shares one load between concurrent callers', async () => {
    let calls = 0;
    const once = onceAtColdStart(async () => ++calls);
    expect(await Promise.all([once(), once(), once()])).toEqual([1, 1, 1]);
    expect(calls).toBe(1);
  });
});

describe('the Aliyun secret, read from Secrets Manager with the function\'s own credentials', () => {
  const credentials = { accessKeyId: 'AKIDLOCALTEST0000000', secretAccessKey: 'local-test-secret-access-key-0000000000' };
  const stored = JSON.stringify({ accessKeyId: 'LTAI-x', accessKeySecret: 'aliyun-secret', signName: '签名', templateCode: 'SMS_1' });
  let server: Server;
  let endpoint: string;
  const requests: { target: string | undefined; body: unknown; token: string | undefined }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        void verifySigV4({ method: req.method!, url: req.url!, headers: req.headers }, body, { credentials, region: 'cn-north-1', service: 'secretsmanager' }).then((refusal) => {
          requests.push({ target: req.headers['x-amz-target'] as string | undefined, body: JSON.parse(body.toString('utf8')), token: req.headers['x-amz-security-token'] as string | undefined });
          if (refusal) return res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: refusal.code, message: refusal.message }));
          const { SecretId } = JSON.parse(body.toString('utf8')) as { SecretId: string };
          if (SecretId !== 'linked-resolution/aliyun-sms') {
            return res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'com.amazonaws.secretsmanager#ResourceNotFoundException' }));
          }
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ Name: SecretId, SecretString: stored }));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  const env = (over: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    AWS_REGION: 'cn-north-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: 'session-token',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
    ...over,
  });

  it('gets the SecretString with a request SigV4 verification accepts', async () => {
    await expect(readSecretString('linked-resolution/aliyun-sms', { env: env() })).resolves.toBe(stored);
    expect(requests.at(-1)).toEqual({ target: 'secretsmanager.GetSecretValue', body: { SecretId: 'linked-resolution/aliyun-sms' }, token: 'session-token' });
  });

  it('says which error Secrets Manager gave, and a wrong key is refused', async () => {
    await expect(readSecretString('other', { env: env() })).rejects.toThrow(/HTTP 400 ResourceNotFoundException/);
    await expect(readSecretString('linked-resolution/aliyun-sms', { env: env({ AWS_SECRET_ACCESS_KEY: 'wrong' }) })).rejects.toThrow(/InvalidSignatureException/);
    await expect(readSecretString('linked-resolution/aliyun-sms', { env: env({ AWS_ACCESS_KEY_ID: '' }) })).rejects.toThrow(/credentials/);
  });

  it('uses the partition\'s endpoint: amazonaws.com.cn in China\'s regions', () => {
    expect(secretsManagerEndpoint('cn-northwest-1')).toBe('https://secretsmanager.cn-northwest-1.amazonaws.com.cn/');
    expect(secretsManagerEndpoint('ap-east-1')).toBe('https://secretsmanager.ap-east-1.amazonaws.com/');
  });

  it('SMS_PROVIDER picks the provider: aliyun reads its secret once and sends; aliyun without a secret, or none, parks', async () => {
    const sent: URLSearchParams[] = [];
    const aliyun = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        sent.push(new URLSearchParams(body));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Code: 'OK', RequestId: 'r' }));
      });
    });
    await new Promise<void>((resolve) => aliyun.listen(0, '127.0.0.1', resolve));
    try {
      const before = requests.length;
      const provider = smsProviderOf(env({ SMS_PROVIDER: 'aliyun', SMS_SECRET: 'linked-resolution/aliyun-sms' }), {
        aliyunEndpoint: `http://127.0.0.1:${(aliyun.address() as AddressInfo).port}/`,
      });
      expect(requests.length).toBe(before); // nothing is read before the first send
      const message = { to: '13910166299', text: '测试', reference: 'n-1' };
      await expect(provider.send(message)).resolves.toEqual({ status: 'sent' });
      await expect(provider.send({ ...message, reference: 'n-2' })).resolves.toEqual({ status: 'sent' });
      expect(requests.length).toBe(before + 1);
      expect(sent.map((params) => [params.get('AccessKeyId'), params.get('TemplateCode'), params.get('OutId')])).toEqual([
        ['LTAI-x', 'SMS_1', 'n-1'],
        ['LTAI-x', 'SMS_1', 'n-2'],
      ]);
      expect(await smsProviderOf(env({ SMS_PROVIDER: 'aliyun' })).send(message)).toEqual({ status: 'unavailable', reason: expect.stringContaining('SMS_SECRET') });
      expect(await smsProviderOf(env({ SMS_PROVIDER: 'none' })).send(message)).toEqual({ status: 'unavailable', reason: expect.stringContaining('cn-north-1') });
    } finally {
      await new Promise<void>((resolve) => aliyun.close(() => resolve()));
    }
  });
});
