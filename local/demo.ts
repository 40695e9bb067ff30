import { parseArgs } from 'node:util';
import { loadOrCreateKeys, signToken } from './jwt';
import { localSettings } from './settings';

/*
 * `npm run demo`: the seed's worked examples driven through the public API of a running local
 * stack, each printed as a timeline with its alerts. Time passes on the virtual clock.
 */
type Print = (line: string) => void;
type TokenFor = (unit: string, role: string) => Promise<string>;

const GLOSS: Record<string, string> = {
  CASE_ACCEPTED: '受理 accepted',
  SIGNED_OFF: '签收 signed off',
  PROGRESS: '进展 progress',
  RESOLVED: '办结 result reported',
  EVALUATED: '评价 evaluated',
  CLOSED: '结案 closed',
  REOPENED: '重办 reopened',
  ESCALATION_REQUESTED: '提请上交 asks to escalate',
  ESCALATED_TO_TIER: '逐级上交 handed up',
  ESCALATED: '上交告警 escalation alert',
  CONFERENCE_REQUIRED: '提交联席会议 conference required',
  SIGN_OFF_WARNING: '签收预警 sign-off warning',
  SIGN_OFF_OVERDUE: '签收超时 sign-off overdue',
  SIGN_OFF_WINDOW_REOPENED: '重新计时 new sign-off window',
  HANDLING_WARNING: '办理预警 handling warning',
  HANDLING_OVERDUE: '办理超时 handling overdue',
  HANDLING_WINDOW_REOPENED: '重新计时 new handling window',
  SUPERVISION_RECORD: '督办立案 supervision record',
  SUPERVISION_URGE: '督办 urged',
  URGED: '督办告警 urge alert',
  EVALUATION_UNSATISFIED: '不满意告警 unsatisfied alert',
  RETURNED: '退回 returned',
  REASSIGNED: '改派 reassigned',
  EXTENSION_REQUESTED: '申请延期 extension asked',
  EXTENSION_APPROVED: '同意延期 extension approved',
  EXTENSION_REFUSED: '不同意延期 extension refused',
  REROUTE_OVERDUE: '改派超时 re-routing overdue',
};

export interface DemoClient {
  call(method: string, path: string, token?: string, body?: unknown): Promise<any>;
  advanceDays(days: number): Promise<void>;
}

export function httpClient(api: string): DemoClient {
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (response.status >= 400) throw new Error(`${method} ${path} → ${response.status}: ${parsed?.detail ?? text}`);
    return parsed;
  };
  return {
    call,
    // Advancing by zero seconds also waits until the workflow has applied what was sent.
    advanceDays: async (days) => void (await call('POST', '/_local/clock/advance', undefined, { seconds: Math.round(days * 86400) })),
  };
}

async function settle(client: DemoClient): Promise<void> {
  await client.advanceDays(0);
}

/** One action on a case through the API, then the workflow applies it. */
async function act(client: DemoClient, id: string, action: string, token: string, body: unknown): Promise<void> {
  await client.call('POST', `/v1/cases/${id}/${action}`, token, body);
  await settle(client);
}

async function printTimeline(client: DemoClient, token: string, id: string, print: Print): Promise<any> {
  const found = await client.call('GET', `/v1/cases/${id}`, token);
  for (const event of found.timeline) {
    const who = event.actor?.unit ?? event.unit ?? '';
    const note = event.note ? ` — ${event.note}` : '';
    const alert = event.data?.alert ? '  ⚑' : '   ';
    print(`${alert} ${event.at.slice(0, 16).replace('T', ' ')}  ${(GLOSS[event.type] ?? event.type).padEnd(34)} ${who}${note}`);
  }
  print(`    → ${found.status}, tier ${found.tier}, ${found.assignedUnit}, light ${found.light}`);
  return found;
}

/** 滨江国际: unpaid utilities after a property-management handover; the housing bureau solves it. */
async function housingStory(client: DemoClient, tokenFor: TokenFor, print: Print): Promise<any> {
  print('\n1. 滨江国际小区物业交接后水电费欠缴 — Binjiang International: unpaid utilities after the handover');
  const community = await tokenFor('community-xiling-shengli-silu', 'community');
  const housing = await tokenFor('city-dept-housing', 'agency');
  const created = await client.call('POST', '/v1/cases', community, {
    title: '滨江国际小区物业交接后水电费欠缴',
    description: '原物业公司撤场后拖欠水电费，供水供电单位拟停供，居民要求协调解决。',
    category: 'property-management',
    reportedVia: 'visit',
    complainant: { name: '刘芳', phone: '13972012345' },
  });
  await settle(client);
  await client.advanceDays(0.2);
  await act(client, created.id, 'sign-off', housing, { handler: { name: '周建华' }, note: '市房管局物业科负责' });
  await client.advanceDays(2);
  await act(client, created.id, 'progress', housing, { note: '召开协调会：新老物业、供水供电单位、业委会参加' });
  await client.advanceDays(1);
  await client.call('POST', `/v1/cases/${created.id}/resolve`, housing, { summary: '协调会确定欠费由原物业公司承担，新物业接管', outcome: '水电正常供应，欠费已结清' });
  await client.advanceDays(1);
  await act(client, created.id, 'evaluate', community, { rating: 'satisfied', comment: '居民满意' });
  return printTimeline(client, community, created.id, print);
}

/** A retired ferry worker's petitions: the district cannot satisfy him; the city office holds a joint reception. */
async function ferryWorkerStory(client: DemoClient, tokenFor: TokenFor, print: Print): Promise<any> {
  print('\n2. 退休轮渡职工反复上访（医保、改制补偿） — a retired ferry worker petitions again and again');
  const community = await tokenFor('community-xiling-shengli-silu', 'community');
  const districtHr = await tokenFor('district-dept-xiling-human-resources', 'agency');
  const districtOffice = await tokenFor('district-office-xiling', 'district-office');
  const cityOffice = await tokenFor('city-office', 'city-office');
  const created = await client.call('POST', '/v1/cases', community, {
    title: '退休轮渡职工医保及改制补偿诉求',
    description: '原轮渡公司退休职工反映企业改制时补偿不足、医保待遇未落实，多次上访。',
    category: 'labour-wages',
    reportedVia: 'visit',
    complainant: { name: '陈德明', phone: '0717-6223456' },
  });
  await settle(client);
  await act(client, created.id, 'sign-off', districtHr, { handler: { name: '王磊' } });
  await client.advanceDays(3);
  await act(client, created.id, 'resolve', districtHr, { summary: '按政策答复改制补偿标准', outcome: '已书面答复' });
  await act(client, created.id, 'evaluate', community, { rating: 'unsatisfied', comment: '当事人不接受答复' });
  await client.advanceDays(2);
  await act(client, created.id, 'escalate', districtHr, { reason: '涉及市级医保政策和原企业改制，区人社局无法解决' });
  await act(client, created.id, 'sign-off', districtOffice, { handler: { name: '区综治办 赵敏' } });
  await client.advanceDays(2);
  await act(client, created.id, 'escalate', districtOffice, { reason: '区级协调未能满足诉求，提请市综治维稳信访办' });
  await act(client, created.id, 'sign-off', cityOffice, { handler: { name: '市综治办 孙涛' } });
  await client.advanceDays(4);
  await act(client, created.id, 'progress', cityOffice, { note: '市人社局会同医保、国资等部门及律师联合接访' });
  await client.call('POST', `/v1/cases/${created.id}/resolve`, cityOffice, { summary: '联合接访，逐项解释政策并落实医保待遇', outcome: '当事人表示接受' });
  await act(client, created.id, 'evaluate', community, { rating: 'satisfied' });
  return printTimeline(client, community, created.id, print);
}

/** Nobody acts: every window breaches until the joint conference has the case. */
async function breachStory(client: DemoClient, tokenFor: TokenFor, print: Print): Promise<any> {
  print('\n3. 无人签收，逐级超时至联席会议 — left alone: breach after breach up to the joint conference');
  const community = await tokenFor('community-xiling-wuguibei', 'community');
  const created = await client.call('POST', '/v1/cases', community, {
    title: '小区内商铺夜间施工噪音扰民',
    description: '小区临街商铺连续夜间装修施工，噪音严重影响周边居民休息。',
    // A routine case goes to the street office, so it climbs every level: district office, city office, joint conference.
    category: 'routine',
    reportedVia: 'phone',
  });
  await settle(client);
  // Two sign-off windows per tier pass unanswered at tiers 0, 1 and 2; about 8 working days.
  for (let day = 0; day < 14; day++) await client.advanceDays(1);
  return printTimeline(client, community, created.id, print);
}

export async function runDemo(client: DemoClient, tokenFor: TokenFor, print: Print): Promise<any[]> {
  print('联动化解 linked resolution — three stories on the local stack');
  return [await housingStory(client, tokenFor, print), await ferryWorkerStory(client, tokenFor, print), await breachStory(client, tokenFor, print)];
}

async function main(): Promise<void> {
  const settings = localSettings();
  const { values } = parseArgs({ options: { api: { type: 'string', default: process.env.API_URL ?? `http://127.0.0.1:${settings.port}` } } });
  const keys = await loadOrCreateKeys(settings.keysDir);
  const tokenFor: TokenFor = (unit, role) => signToken(keys, { sub: `demo@${unit}`, unit, role });
  const client = httpClient(values.api as string);
  try {
    await client.call('GET', '/health');
  } catch {
    throw new Error(`No local stack answers at ${values.api}: run \`npm start\` in another terminal first.`);
  }
  await runDemo(client, tokenFor, (line) => console.log(line));
  const alerts = await client.call('GET', '/_local/alerts');
  console.log(`\n${alerts.items.length} alerts so far: ${values.api}/_local/alerts`);
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
