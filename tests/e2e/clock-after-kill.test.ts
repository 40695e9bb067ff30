import { join } from 'node:path';
import { loadOrCreateKeys, signToken } from '../../local/jwt';
import { npmStartProcess, type NpmStartProcess } from '../support/npm-start-process';

/*
 * The virtual clock after a kill -9: it must resume at or after every time it stamped on a case,
 * never before (else a sign-off could be stamped before the case it signs off was created). The
 * clock runs here a thousand times faster than real time, so a clock saved a few real seconds
 * late would resume virtual hours early.
 */
// Two starts of `npm start` (and, for some, its JVM): minutes on a busy machine, not seconds.
jest.setTimeout(180_000);

let p: NpmStartProcess;

beforeAll(async () => {
  p = await npmStartProcess('clock-after-kill', { timeScale: 1000 });
});
afterAll(() => p.dispose());

/** When things happened to the case (not its due dates, which lie ahead): intake and every timeline event. */
const stampsOf = (view: { createdAt: string; timeline: Array<{ at: string }> }) => [view.createdAt, ...view.timeline.map((event) => event.at)].map(Date.parse);

it('resumes after a SIGKILL no earlier than any time it had stamped, and then goes on from there', async () => {
  await p.start();
  const keys = await loadOrCreateKeys(join(p.dataDir, 'keys'));
  const community = await signToken(keys, { sub: 'c', unit: 'community-xiling-shengli-silu', role: 'community' });
  const street = await signToken(keys, { sub: 's', unit: 'street-xiling-xiling', role: 'agency' });
  const supervisor = await signToken(keys, { sub: 'v', unit: 'supervision-centre', role: 'supervisor' });

  const created = await p.call('POST', '/v1/cases', community, { title: '路灯不亮', description: '小区门口路灯损坏', category: 'routine', reportedVia: 'phone' });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  let signedOff: { status: number; body: any } | undefined;
  for (let attempt = 0; attempt < 100 && signedOff?.status !== 202; attempt++) {
    signedOff = await p.call('POST', `/v1/cases/${id}/sign-off`, street, { handler: { name: '李娟' } });
    if (signedOff.status !== 202) await new Promise((resolve) => setTimeout(resolve, 100)); // the workflow is still writing its first step
  }
  expect(signedOff?.status).toBe(202);
  // Read back what was stamped (the sign-off is applied by the workflow: wait until it is).
  let stamped: any;
  for (let attempt = 0; attempt < 100; attempt++) {
    stamped = (await p.call('GET', `/v1/cases/${id}`, supervisor)).body;
    if (stamped.timeline?.some((event: { type: string }) => event.type === 'SIGNED_OFF')) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(stamped.timeline.some((event: { type: string }) => event.type === 'SIGNED_OFF')).toBe(true);
  const latestStamp = Math.max(...stampsOf(stamped));

  await p.kill();
  await p.start();

  const resumed = (await p.call('GET', '/_local/clock')).body.nowMs as number;
  expect(resumed).toBeGreaterThanOrEqual(latestStamp);
  // The case lives on from there: its next stamps come after the old ones.
  const after = (await p.call('GET', `/v1/cases/${id}`, supervisor)).body;
  expect(after.timeline.filter((event: { type: string }) => event.type === 'SIGNED_OFF')).toHaveLength(1);
  expect(Math.min(...after.timeline.map((event: { at: string }) => Date.parse(event.at)))).toBe(Date.parse(stamped.timeline[0].at));
  await p.stop();
});
