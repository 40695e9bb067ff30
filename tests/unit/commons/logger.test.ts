import { Writable } from 'node:stream';
import { createLogger } from '../../../functions/commons/logger';

/** Complainants' personal data and credentials never reach the logs, wherever they are nested. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger(stream, 'info'), lines };
}

it('redacts complainants, authorization headers and task tokens', () => {
  const { logger, lines } = capture();
  logger.info({
    complainant: { name: '张明', phone: '13800138000' },
    body: { title: 't', complainant: { name: '李四', phone: '13900139000' } },
    event: { headers: { authorization: 'Bearer secret-token' } },
    payload: { taskToken: 'AAAA-token' },
  });
  const text = lines.join('');
  for (const secret of ['张明', '13800138000', '李四', '13900139000', 'secret-token', 'AAAA-token']) {
    expect(text).not.toContain(secret);
  }
  expect(text).toContain('[redacted]');
  expect(JSON.parse(lines[0]).body.title).toBe('t');
});

it('writes one JSON line per entry, with level, time, service and message', () => {
  const { logger, lines } = capture();
  logger.info({ caseId: 'c1' }, 'workflow step');
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0])).toEqual({ level: 30, time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), service: 'linked-resolution', caseId: 'c1', msg: 'workflow step' });
});

it('logs errors with their type, message and stack, and survives cycles', () => {
  const { logger, lines } = capture();
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  logger.error({ err: Object.assign(new Error('boom'), { name: 'ServiceUnavailable' }), cyclic });
  const entry = JSON.parse(lines[0]);
  expect(entry.err).toEqual(expect.objectContaining({ type: 'ServiceUnavailable', message: 'boom', stack: expect.stringContaining('boom') }));
  expect(entry.cyclic).toEqual({ name: 'loop', self: '[Circular]' });
});

it('keeps quiet below its level, and entirely when silent', () => {
  const lines: string[] = [];
  const sink = { write: (line: string) => lines.push(line) };
  createLogger(sink, 'warn').info({ a: 1 });
  createLogger(sink, 'silent').error({ a: 1 });
  createLogger(sink, 'warn').warn({ a: 2 });
  expect(lines.map((line) => JSON.parse(line).a)).toEqual([2]);
});

it('without a level of its own, follows LOG_LEVEL as it is when each entry is written', () => {
  const lines: string[] = [];
  const logger = createLogger({ write: (line: string) => lines.push(line) });
  const before = process.env.LOG_LEVEL;
  try {
    process.env.LOG_LEVEL = 'silent';
    logger.error({ a: 1 });
    process.env.LOG_LEVEL = 'info';
    logger.info({ a: 2 });
  } finally {
    process.env.LOG_LEVEL = before;
  }
  expect(lines.map((line) => JSON.parse(line).a)).toEqual([2]);
});
