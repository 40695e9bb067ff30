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
