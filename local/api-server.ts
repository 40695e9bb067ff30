import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ROUTES, type RouteDefinition } from '../functions/api/routes';
import type { ApiEvent } from '../functions/commons/http';
import { verifyBearer, type LocalKeys } from './jwt';

/*
 * The local HTTP API: matches the same ROUTES the CDK stack deploys, checks the bearer token
 * as the JWT authorizer would, builds an API Gateway v2 event and calls the handler module.
 */
type LambdaHandler = (event: ApiEvent, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** API Gateway's own limit is 10 MB; the handlers refuse anything over 64 KiB themselves. */
const MAX_READ_BYTES = 1024 * 1024;

interface CompiledRoute {
  readonly route: RouteDefinition;
  readonly pattern: RegExp;
  readonly paramNames: string[];
}

function compile(route: RouteDefinition): CompiledRoute {
  const paramNames: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      paramNames.push(param[1]);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), paramNames };
}

const compiledRoutes = ROUTES.map(compile);
const handlerModules = new Map<string, Promise<LambdaHandler>>();
const loadHandler = (name: string): Promise<LambdaHandler> => {
  let loading = handlerModules.get(name);
  if (!loading) {
    loading = import(`../functions/api/${name}`).then((module: { handler: LambdaHandler }) => module.handler);
    handlerModules.set(name, loading);
  }
  return loading;
};

export function sendProblem(res: ServerResponse, status: number, title: string, detail: string, errors?: Array<{ path: string; message: string }>): void {
  res.writeHead(status, { 'content-type': 'application/problem+json; charset=utf-8', 'x-request-id': randomUUID() });
  res.end(JSON.stringify({ type: 'about:blank', title, status, detail, ...(errors ? { errors } : {}) }));
}

export async function readBody(req: IncomingMessage, limit = MAX_READ_BYTES): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function lambdaContext(requestId: string, functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Path parameters decoded as API Gateway does; undefined when the percent-encoding is broken. */
function decodePathParameters(names: readonly string[], raw: readonly string[]): Record<string, string> | undefined {
  try {
    return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(raw[i])]));
  } catch {
    return undefined;
  }
}

/**
 * A claim in the event, as API Gateway's JWT authorizer passes it: strings and numbers as text,
 * arrays as `[a b]`, objects as JSON. A claim that is not a string never reads as a unit or role.
 */
function claimAsApiGatewayPassesIt(value: unknown): string {
  if (Array.isArray(value)) return `[${value.join(' ')}]`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Answers a request if it matches a route; returns false otherwise so another listener
 * (local controls, the console) may answer it.
 */
export function createApiListener(keys: LocalKeys) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    let matched: { compiled: CompiledRoute; params: Record<string, string> } | undefined;
    for (const compiled of compiledRoutes) {
      const match = compiled.pattern.exec(url.pathname);
      if (match && compiled.route.method === method) {
        const params = decodePathParameters(compiled.paramNames, match.slice(1));
        if (!params) {
          const errors = compiled.paramNames.map((name) => ({ path: name, message: 'not valid percent-encoding' }));
          sendProblem(res, 400, 'Bad Request', 'The path is not valid percent-encoding.', errors);
          return true;
        }
        matched = { compiled, params };
        break;
      }
    }
    if (!matched) return false;
    const { route } = matched.compiled;

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
    }
    let claims: Record<string, string> | undefined;
    if (!route.public) {
      const payload = await verifyBearer(keys, headers.authorization);
      if (!payload) {
        sendProblem(res, 401, 'Unauthorized', 'A valid bearer token is required (npm run token -- --unit <id> --role <role>).');
        return true;
      }
      claims = Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, claimAsApiGatewayPassesIt(value)]));
    }
    const body = await readBody(req);
    if (body === undefined) {
      sendProblem(res, 413, 'Payload Too Large', 'The request body is too large.');
      return true;
    }
    // Own properties whatever the name (`__proto__` included), as API Gateway's JSON event has them.
    const query: Record<string, string> = Object.create(null);
    for (const [name, value] of url.searchParams) query[name] = Object.hasOwn(query, name) ? `${query[name]},${value}` : value;

    const requestId = randomUUID();
    const routeKey = `${route.method} ${route.path}`;
    const now = new Date();
    const event = {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.replace(/^\?/, ''),
      headers,
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      ...(Object.keys(matched.params).length ? { pathParameters: matched.params } : {}),
      ...(body.length ? { body: body.toString('utf8') } : {}),
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'local',
        http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '', userAgent: headers['user-agent'] ?? '' },
        requestId,
        routeKey,
        stage: '$default',
        time: now.toISOString(),
        timeEpoch: now.getTime(),
        authorizer: { jwt: { claims: claims ?? {}, scopes: [] }, principalId: '', integrationLatency: 0 },
      },
    } as unknown as ApiEvent;

    const handler = await loadHandler(route.handler);
    const result = await handler(event, lambdaContext(requestId, route.handler));
    res.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>) });
    res.end(result.body ?? '');
    return true;
  };
}
