import { createServer, type Server } from 'node:http';
import { mkdtempSync, appendFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { LocalOutbox } from '../../../local/notifications';
import type { Notification } from '../../../functions/domain/notifications/rules';

const notification = (over: Partial<Notification> = {}): Notification => ({
  id: 'case-1:1:NEW_CASE:street-xiling-xiling:sms:13910166299',
  caseId: 'case-1',
  seq: 1,
  cause: 'CASE_ACCEPTED',
  code: 'NEW_CASE',
  channel: 'sms',
  to: '13910166299',
  unit: 'street-xiling-xiling',
  urgent: false,
  notBeforeMs: 0,
  text: '新案件「楼道堆放杂物」交西陵街道办事处办理，请于3月10日 09:00前签收。',
  textEn: 'New case',
  subject: '楼道堆放杂物',
  ...over,
});
const fileIn = () => join(mkdtempSync(join(tmpdir(), 'outbox-')), 'notifications.jsonl');
// The time limit is far above what a local answer takes on a loaded machine (a 200 ms limit once timed out '/ok'); '/slow' never answers.
const outboxAt = (file: string) => new LocalOutbox({ file, now: () => 0, webhookAttempts: 3, webhookBackoffMs: 5, webhookTimeoutMs: 1500 });

describe('the local outbox', () => {
  it('delivers an id once, across a restart, and a line torn by a kill is no delivery', async () => {
    const file = fileIn();
    const first = outboxAt(file);
    expect(await first.deliver(notification())).toEqual({ status: 'sent' });
    expect(await first.deliver(notification())).toEqual({ status: 'duplicate' });
    appendFileSync(file, '{"id":"case-1:2:torn'); // killed mid-line
    const again = outboxAt(file);
    expect(await again.deliver(notification())).toEqual({ status: 'duplicate' });
    expect(await again.deliver(notification({ id: 'case-1:2:torn' }))).toEqual({ status: 'sent' });
    expect(again.list().map((item) => item.id)).toEqual([notification().id, 'case-1:2:torn']);
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).length).toBe(3);
  });

  it('records a number the provider refuses, with the reason', async () => {
    const outbox = outboxAt(fileIn());
    expect(await outbox.deliver(notification({ id: 'x', to: '12345', unit: undefined }))).toEqual({ status: 'refused', reason: 'the provider refused the number 12345' });
    expect(outbox.list({ status: 'refused' })).toHaveLength(1);
  });

  describe('webhooks', () => {
    let server: Server;
    let url: string;
    const seen: Array<{ path: string; id: string | undefined }> = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        seen.push({ path: req.url ?? '', id: req.headers['x-notification-id'] as string | undefined });
        req.resume();
        if (req.url === '/ok') return res.writeHead(204).end();
        if (req.url === '/fail') return res.writeHead(500).end();
        if (req.url === '/moved') return res.writeHead(302, { location: '/ok' }).end();
        // '/slow': never answers (the connection is closed with the server)
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

    it('is answered in the background: delivery returns at once, the call ends sent, with the id as header', async () => {
      const outbox = outboxAt(fileIn());
      const n = notification({ id: 'hook-ok', channel: 'webhook', to: `${url}/ok` });
      expect(await outbox.deliver(n)).toEqual({ status: 'sent' });
      expect(outbox.list()[0]!.status).toBe('pending');
      await outbox.settled();
      expect(outbox.list()[0]).toMatchObject({ status: 'sent', attempts: 1 });
      expect(seen).toContainEqual({ path: '/ok', id: 'hook-ok' });
    });

    it.each([
      ['answers 500', '/fail', 'answered 500, after 3 attempts'],
      ['redirects', '/moved', 'redirected (302); webhooks are not followed, after 3 attempts'],
      ['times out', '/slow', 'timed out, after 3 attempts'],
    ])('that %s is retried with back-off, then parked with the reason', async (_, path, reason) => {
      const file = fileIn();
      const outbox = outboxAt(file);
      await outbox.deliver(notification({ id: `hook${path}`, channel: 'webhook', to: `${url}${path}` }));
      await outbox.settled();
      expect(outbox.list({ status: 'parked' })).toEqual([expect.objectContaining({ id: `hook${path}`, attempts: 3, reason })]);
      expect(seen.filter((call) => call.path === path).length).toBeGreaterThanOrEqual(3);
      // Kept across a restart as parked, not called again.
      const before = seen.length;
      const again = outboxAt(file);
      await again.settled();
      expect(again.list({ status: 'parked' })).toHaveLength(1);
      expect(seen.length).toBe(before);
    });
  });
});
