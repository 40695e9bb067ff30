import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { defaultDirectory } from '../functions/domain/directory';
import { ROLES } from '../functions/domain/identity';
import { roleFitsUnitKind } from '../functions/domain/roles';
import { readBody, sendProblem } from './api-server';
import { signToken, type LocalKeys } from './jwt';

/*
 * The supervision console on the local stack: the built files of console/dist under
 * /console/ (the single-page app's routes fall back to index.html), its config.json (same
 * origin, local sign-in, the virtual clock), and POST /_local/token, which signs a token
 * for a unit and role with the local keys, as `npm run token` does. Nothing here is deployed.
 */
export const CONSOLE_PATH = '/console';
/**
 * The citizens' status page at the site's root: /track and /track/<code> answer the console's
 * index.html, whose router shows the public page there (as the CloudFront site does).
 */
export const PUBLIC_TRACK_PATH = /^\/track(?:\/[^/]*)?$/;
export const CONSOLE_DIST_DIR = resolve(__dirname, '..', 'console', 'dist');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** What the browser may load: only this origin (no CDN, no inline script). */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': CONTENT_SECURITY_POLICY,
};

const TokenRequestSchema = z
  .strictObject({
    unit: z.string().refine((id) => defaultDirectory.get(id) !== undefined, 'not a unit id from GET /v1/units'),
    role: z.enum(ROLES),
    sub: z.string().min(1).max(128).optional(),
    hours: z.number().positive().max(24 * 30).optional(),
  })
  .refine(({ unit, role }) => roleFitsUnitKind(role, defaultDirectory.get(unit)?.kind ?? ''), {
    path: ['role'],
    message: 'this role does not fit the unit (a community signs in as community, a department as agency, …)',
    when: (payload) => payload.issues.length === 0,
  });

export interface ConsoleFilesOptions {
  readonly keys: LocalKeys;
  readonly distDir?: string;
  /** How often the console's pages poll the API. */
  readonly refreshSeconds?: number;
}

/** The console's config.json on the local stack. */
export const localConsoleConfig = (refreshSeconds: number) => ({
  apiBaseUrl: '',
  refreshSeconds,
  auth: { mode: 'local' },
  local: { clock: '/_local/clock', alerts: '/_local/alerts', token: '/_local/token' },
});

function send(res: ServerResponse, req: IncomingMessage, status: number, headers: Record<string, string>, body: Buffer | string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (found) => found.isFile(),
    () => false,
  );
}

/**
 * Answers /console, /console/*, /track, /track/<code> and POST /_local/token; returns false for
 * anything else so the API may answer it.
 */
export function createConsoleListener(options: ConsoleFilesOptions) {
  const distDir = options.distDir ?? CONSOLE_DIST_DIR;
  const config = JSON.stringify(localConsoleConfig(options.refreshSeconds ?? 3));

  const serveFile = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const indexFile = join(distDir, 'index.html');
    if (!(await isFile(indexFile))) {
      send(res, req, 503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
        'The console is not built: run `npm run console:build` (npm start and npm test build it first).\n');
      return;
    }
    let relativePath: string;
    try {
      relativePath = decodeURIComponent(path.slice(CONSOLE_PATH.length + 1));
    } catch {
      sendProblem(res, 400, 'Bad Request', 'The path is not valid percent-encoding.');
      return;
    }
    const file = resolve(distDir, relativePath || 'index.html');
    const inside = relative(distDir, file);
    if (relativePath.includes('\0') || inside.startsWith('..') || inside.split(sep).includes('..')) {
      sendProblem(res, 404, 'Not Found', `No console file ${path}.`);
      return;
    }
    if (await isFile(file)) {
      const immutable = inside.startsWith(`assets${sep}`);
      send(res, req, 200, {
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      }, await readFile(file));
      return;
    }
    // A missing asset is a 404; any other path is one of the app's routes.
    if (extname(file) !== '') {
      sendProblem(res, 404, 'Not Found', `No console file ${path}.`);
      return;
    }
    send(res, req, 200, { 'content-type': CONTENT_TYPES['.html'], 'cache-control': 'no-cache' }, await readFile(indexFile));
  };

  const issueToken = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      sendProblem(res, 415, 'Unsupported Media Type', 'Send {"unit": "...", "role": "..."} as application/json.');
      return;
    }
    const raw = await readBody(req, 4096);
    let parsed: ReturnType<typeof TokenRequestSchema.safeParse>;
    try {
      parsed = TokenRequestSchema.safeParse(JSON.parse(raw?.toString('utf8') || 'null'));
    } catch {
      sendProblem(res, 400, 'Bad Request', 'The body is not valid JSON.');
      return;
    }
    if (!parsed.success) {
      const errors = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      res.writeHead(400, { 'content-type': 'application/problem+json; charset=utf-8' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, detail: 'Name a unit and a role.', errors }));
      return;
    }
    const { unit, role, sub, hours } = parsed.data;
    const token = await signToken(options.keys, { sub: sub ?? `${role}@${unit}`, unit, role }, Math.round((hours ?? 12) * 3600));
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ token }));
  };

  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    if (path === '/_local/token' && req.method === 'POST') {
      await issueToken(req, res);
      return true;
    }
    if (PUBLIC_TRACK_PATH.test(path)) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendProblem(res, 405, 'Method Not Allowed', 'The status page is read with GET.');
        return true;
      }
      await serveFile(req, res, `${CONSOLE_PATH}/track`);
      return true;
    }
    if (path !== CONSOLE_PATH && !path.startsWith(`${CONSOLE_PATH}/`)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendProblem(res, 405, 'Method Not Allowed', 'The console is read with GET.');
      return true;
    }
    if (path === CONSOLE_PATH) {
      res.writeHead(301, { location: `${CONSOLE_PATH}/` });
      res.end();
      return true;
    }
    if (path === `${CONSOLE_PATH}/config.json`) {
      send(res, req, 200, { 'content-type': CONTENT_TYPES['.json'], 'cache-control': 'no-store' }, config);
      return true;
    }
    await serveFile(req, res, path);
    return true;
  };
}
