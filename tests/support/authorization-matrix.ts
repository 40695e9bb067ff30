import type { TestStack } from './local-stack';
import type { Role } from '../../functions/domain/roles';

/*
 * Support for tests/integration/authorization-matrix.test.ts: the units the matrix uses, an
 * oracle of who may read what (written from the public contract, docs/api.md, and docs/identity.md,
 * not from functions/domain/identity.ts, so the test does not grade the code with
 * the code), and a factory that brings cases to a given step at a given unit through the
 * public API only.
 */

/** Two communities in two districts, their street offices and district offices, and the city-level units. */
export const U = {
  C1: 'community-xiling-shengli-silu', // Xiling district, street office A1
  C2: 'community-wujiagang-longpanhu', // Wujiagang district, street office A2
  A1: 'street-xiling-xiling',
  A2: 'street-wujiagang-wujiagang',
  E: 'city-dept-environment', // a city department: environment-pollution cases of both communities
  D1: 'district-office-xiling',
  D2: 'district-office-wujiagang',
  CO: 'city-office', // the only city office
  CF: 'joint-conference', // the only joint conference
  SC: 'supervision-centre', // the only supervision centre
  M1: 'mediation-xiling-xiling-street', // a street's people's mediation committee (any category): the body cases are referred to
  M2: 'mediation-wujiagang-wujiagang-street', // another one, referred nothing
} as const;

export interface Who {
  readonly role: Role;
  readonly unit: string;
}
export const who = (role: Role, unit: string): Who => ({ role, unit });
export const label = (w: Who) => `${w.role}@${w.unit}`;

/** The role each unit of the matrix signs in with when it acts on a case. */
const ACTING_ROLE: Record<string, Role> = {
  [U.C1]: 'community',
  [U.C2]: 'community',
  [U.A1]: 'agency',
  [U.A2]: 'agency',
  [U.E]: 'agency',
  [U.D1]: 'district-office',
  [U.D2]: 'district-office',
  [U.CO]: 'city-office',
  [U.CF]: 'conference',
  [U.SC]: 'supervisor',
  [U.M1]: 'mediator',
  [U.M2]: 'mediator',
};
export const actor = (unit: string): Who => who(ACTING_ROLE[unit], unit);
const SUPERVISOR = who('supervisor', U.SC);

/* ---------- the oracle ---------- */

export interface Parties {
  readonly originUnit: string;
  readonly assignedUnit: string;
  readonly involvedUnits: readonly string[];
}

/** Roles that read every case (docs/api.md: GET /v1/cases/{id} — units involved, supervisor, auditors and operators). */
const CITY_WIDE: readonly Role[] = ['supervisor', 'auditor', 'operator'];
/** docs/identity.md: the auditor and the operator read every case "without complainants' personal data", whatever their unit. */
const NEVER_PERSONAL_DATA: readonly Role[] = ['auditor', 'operator'];

export const seesAllCases = (w: Who) => CITY_WIDE.includes(w.role);
export const isParty = (unit: string, c: Parties) =>
  c.originUnit === unit || c.assignedUnit === unit || c.involvedUnits.includes(unit);
export const mayRead = (w: Who, c: Parties) => seesAllCases(w) || isParty(w.unit, c);
/** docs/api.md: `complainant` is personal data, "shown only to the units involved and the supervisor". */
export const maySeePersonalData = (w: Who, c: Parties) =>
  w.role === 'supervisor' || (!NEVER_PERSONAL_DATA.includes(w.role) && isParty(w.unit, c));

/* ---------- answers ---------- */

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

export const is2xx = (status: number) => status >= 200 && status < 300;

/** The status, with the answer's detail attached when it is not the one expected (a readable failure). */
export function expectStatus(reply: Reply, status: number, context = ''): void {
  expect({ context, status: reply.status, detail: reply.status === status ? undefined : reply.body }).toEqual({
    context,
    status,
    detail: undefined,
  });
}

/** Every non-2xx answer is an RFC 9457 problem document whose status matches the HTTP status. */
export function expectProblem(reply: Reply, status: number): void {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(reply.body).toEqual(expect.objectContaining({ status, title: expect.any(String), detail: expect.any(String) }));
  expect(JSON.stringify(reply.body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
}

/* ---------- cases ---------- */

/** A step a case waits in; `returned` is a case a tier-0 unit sent back to the supervision centre. */
export type Step = 'sign-off' | 'handling' | 'extension' | 'evaluation' | 'closed' | 'returned' | MediationStep;
/** Mediation steps (docs/mediation.md): referred to M1 by the unit holding the case, accepted with a session recorded, an agreement awaiting its fulfilment. */
export type MediationStep = 'mediation' | 'mediating' | 'agreed';
const MEDIATION_STEPS: readonly Step[] = ['mediation', 'mediating', 'agreed'];

/** The community each unit's cases come from, and the units a case passes to reach it. */
const HOME: Record<string, string> = {
  [U.C1]: U.C1,
  [U.A1]: U.C1,
  [U.E]: U.C1,
  [U.D1]: U.C1,
  [U.CO]: U.C1,
  [U.CF]: U.C1,
  [U.C2]: U.C2,
  [U.A2]: U.C2,
  [U.D2]: U.C2,
};
const LADDER: Record<string, readonly string[]> = {
  [U.A1]: [U.A1],
  [U.A2]: [U.A2],
  [U.E]: [U.E],
  [U.D1]: [U.A1, U.D1],
  [U.D2]: [U.A2, U.D2],
  [U.CO]: [U.A1, U.D1, U.CO],
  [U.CF]: [U.A1, U.D1, U.CO, U.CF],
};
const COMMUNITIES = new Set<string>([U.C1, U.C2]);

export const BODY = {
  signOff: { handler: { name: '李娟', phone: '0717-6221234' } },
  progress: { note: '已联系物业，约定周三现场查看' },
  resolve: { summary: '杂物已清理', outcome: '楼道恢复畅通' },
  escalate: { reason: '涉及多个部门，本级无法协调' },
  return: { reason: '不属于本单位职责' },
  evaluate: { rating: 'satisfied' },
  extension: { workingDays: 2, reason: '需等待检测报告' },
  urge: { action: 'urge', note: '请尽快办理' },
  reassign: (toUnit: string) => ({ action: 'reassign', toUnit, note: '改派' }),
  approveExtension: { action: 'approve-extension', note: '同意延期' },
  refuseExtension: { action: 'refuse-extension', note: '不同意延期' },
  refer: { body: U.M1, note: '双方同意人民调解' },
  accept: {},
  decline: { reason: '不属本委员会受理范围' },
  // Held and signed before any clock a test stack starts at.
  session: { at: '2026-01-05T10:00:00+08:00', record: '双方陈述纠纷经过', participants: [{ role: 'applicant', name: '甲' }] },
  agreement: { result: 'agreement', terms: '乙方清理杂物并致歉', performBy: '2026-12-31', signed: true, signedAt: '2026-01-05T11:00:00+08:00' },
  fulfilment: { fulfilled: true, note: '已履行' },
} as const;

/** The case one matrix row needs: its own (`fresh`, for rows that change it) or a shared one. */
export interface CaseJob {
  readonly key: string;
  readonly step: Step;
  readonly at: string;
  readonly fresh: boolean;
}

export interface Complainant {
  readonly name: string;
  readonly phone: string;
}

/**
 * Makes cases through the public API: the community (or the supervision centre) accepts, the
 * units act, and after each step the virtual clock is advanced by zero so the workflow applies
 * it. Every case gets a complainant of its own, so a leak shows as a string in an answer.
 */
export class CaseFactory {
  private readonly tokens = new Map<string, Promise<string>>();
  private readonly shared = new Map<string, Promise<string>>();
  /** Every case made in this file, by id, with its complainant. */
  readonly complainants = new Map<string, Complainant>();
  private serial = 0;

  constructor(private readonly t: TestStack) {}

  token(w: Who): Promise<string> {
    const key = label(w);
    let token = this.tokens.get(key);
    if (!token) {
      token = this.t.token(w.unit, w.role);
      this.tokens.set(key, token);
    }
    return token;
  }

  nextComplainant(): Complainant {
    this.serial += 1;
    return { name: `投诉人${this.serial}号`, phone: `139${String(this.serial).padStart(8, '0')}` };
  }

  /** Remembers the complainant of a case made outside the factory (a matrix row that creates one). */
  register(id: string, complainant: Complainant): void {
    this.complainants.set(id, complainant);
  }

  async create(origin: string, options: { assignedUnit?: string; category?: string; bySupervisor?: boolean } = {}): Promise<any> {
    const complainant = this.nextComplainant();
    const body = {
      title: '楼道堆放杂物 Clutter blocking a stairwell',
      description: '3 号楼二单元楼道长期堆放杂物，影响通行和消防安全。',
      category: options.category ?? 'routine',
      reportedVia: 'patrol',
      complainant,
      ...(options.assignedUnit ? { assignedUnit: options.assignedUnit } : {}),
      ...(options.bySupervisor ? { originUnit: origin } : {}),
    };
    const token = await this.token(options.bySupervisor ? SUPERVISOR : actor(origin));
    const reply = await this.t.call('POST', '/v1/cases', { token, body });
    if (reply.status !== 201) throw new Error(`intake at ${origin}: ${reply.status} ${JSON.stringify(reply.body)}`);
    this.register(reply.body.id, complainant);
    await this.t.advance(0); // the workflow reaches its first wait
    return reply.body;
  }

  async act(id: string, action: string, by: Who, body: unknown): Promise<void> {
    const reply = await this.t.call('POST', `/v1/cases/${id}/${action}`, { token: await this.token(by), body });
    if (!is2xx(reply.status)) throw new Error(`${action} by ${label(by)} on ${id}: ${reply.status} ${JSON.stringify(reply.body)}`);
    await this.t.advance(0); // the workflow applies it and waits again
  }

  /**
   * A new case waiting in `step` at unit `at` (for `returned`: the tier-0 unit that returned it).
   * Its origin is the unit's home community (C1 for A1, E, D1, the city office and the
   * conference; C2 for A2 and D2). A case at a community is one it keeps (handling and later)
   * or one the supervisor reassigned to it (sign-off). Offices get theirs by escalation, so every
   * unit below them on the way is involved in it.
   */
  async build(step: Step, at: string): Promise<string> {
    const origin = HOME[at];
    if (!origin) throw new Error(`no home community for ${at}`);
    if (step === 'returned') {
      const created = await this.create(origin, { assignedUnit: at });
      await this.act(created.id, 'return', actor(at), BODY.return);
      return created.id;
    }
    let id: string;
    if (COMMUNITIES.has(at)) {
      if (step === 'sign-off') {
        const created = await this.create(origin);
        await this.act(created.id, 'supervise', SUPERVISOR, BODY.reassign(at));
        return created.id;
      }
      id = (await this.create(origin, { assignedUnit: at })).id; // kept: in progress at once
    } else {
      const ladder = LADDER[at];
      id = (await this.create(origin, { assignedUnit: ladder[0] })).id;
      for (const unit of ladder.slice(0, -1)) {
        await this.act(id, 'sign-off', actor(unit), BODY.signOff);
        await this.act(id, 'escalate', actor(unit), BODY.escalate);
      }
      if (step === 'sign-off') return id;
      await this.act(id, 'sign-off', actor(at), BODY.signOff);
    }
    if (MEDIATION_STEPS.includes(step)) {
      // The unit holding the case refers it to M1, which accepts, records a session and agrees, as far as the step needs.
      await this.act(id, 'mediation', actor(at), BODY.refer);
      if (step === 'mediation') return id;
      await this.act(id, 'mediation/accept', actor(U.M1), BODY.accept);
      await this.act(id, 'mediation/sessions', actor(U.M1), BODY.session);
      if (step === 'mediating') return id;
      await this.act(id, 'mediation/outcome', actor(U.M1), BODY.agreement);
      return id;
    }
    switch (step) {
      case 'handling':
        return id;
      case 'extension':
        await this.act(id, 'extension', actor(at), BODY.extension);
        return id;
      case 'evaluation':
        await this.act(id, 'resolve', actor(at), BODY.resolve);
        return id;
      case 'closed':
        await this.act(id, 'resolve', actor(at), BODY.resolve);
        // A community does not rate a result it reported itself: the supervision centre's follow-up call closes a kept case.
        if (at === origin) await this.act(id, 'follow-up', SUPERVISOR, BODY.evaluate);
        else await this.act(id, 'evaluate', actor(origin), BODY.evaluate);
        return id;
      default:
        throw new Error(`no way to build a case in ${step}`);
    }
  }

  /**
   * A case in `step` at `at` shared by the rows that must not change it, with a snapshot taken
   * once it is made (`unchangedShared` compares); `evict` it after any row that did change it.
   */
  sharedCase(step: Step, at: string): Promise<string> {
    const key = `${step}@${at}`;
    let id = this.shared.get(key);
    if (!id) {
      id = this.build(step, at).then(async (made) => {
        this.snapshots.set(made, await this.snapshot(made));
        return made;
      });
      id.catch(() => this.shared.delete(key));
      this.shared.set(key, id);
    }
    return id;
  }

  evict(step: Step, at: string): void {
    const key = `${step}@${at}`;
    const id = this.shared.get(key);
    this.shared.delete(key);
    void id?.then((made) => this.snapshots.delete(made)).catch(() => undefined);
  }

  private readonly snapshots = new Map<string, unknown>();
  private readonly fresh = new Map<string, Promise<string>>();

  /** What no refused or conflicting request may change. */
  async snapshot(id: string) {
    const c = await this.truth(id);
    return {
      status: c.status,
      assignedUnit: c.assignedUnit,
      tier: c.tier,
      extension: c.extension,
      involvedUnits: c.involvedUnits,
      timeline: c.timeline.map((e: any) => e.type),
    };
  }

  /** The shared cases still in use, each as it was made and as it is now. */
  async sharedNowAndThen(): Promise<{ id: string; then: unknown; now: unknown }[]> {
    const ids = await Promise.all([...this.shared.values()].map((id) => id.catch(() => undefined)));
    return Promise.all(
      ids.filter((id): id is string => id !== undefined && this.snapshots.has(id)).map(async (id) => ({ id, then: this.snapshots.get(id), now: await this.snapshot(id) })),
    );
  }

  /** A case for one row: a new one (`fresh`, made once per key) or the shared one of its step and unit. */
  caseFor(job: CaseJob): Promise<string> {
    if (!job.fresh) return this.sharedCase(job.step, job.at);
    let id = this.fresh.get(job.key);
    if (!id) {
      id = this.build(job.step, job.at);
      this.fresh.set(job.key, id);
    }
    return id;
  }

  /** Starts making the cases of `jobs`, `concurrency` at a time, in order; rows then await theirs. */
  prefetch(jobs: readonly CaseJob[], concurrency = 6): void {
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        await this.caseFor(job).catch(() => undefined); // the row that needs it reports the failure
      }
    };
    for (let i = 0; i < concurrency; i++) void worker();
  }

  /** The case as the supervisor sees it: the ground truth of where it is and who took part. */
  async truth(id: string): Promise<any> {
    const reply = await this.t.call('GET', `/v1/cases/${id}`, { token: await this.token(SUPERVISOR) });
    if (reply.status !== 200) throw new Error(`GET ${id} as the supervisor: ${reply.status}`);
    return reply.body;
  }
}

/** The case views an answer carries: the case itself, or the items of a list. */
export function caseViewsIn(body: any): any[] {
  if (body && typeof body === 'object' && typeof body.id === 'string' && typeof body.originUnit === 'string') return [body];
  if (body && Array.isArray(body.items)) return body.items.filter((item: any) => item && typeof item.originUnit === 'string');
  return [];
}

/**
 * No answer leaks: every case in it is one the caller may read; the complainant is there
 * exactly when the caller may see personal data of that case; and no complainant's name or
 * phone (of any case made in this file) appears anywhere else in the answer.
 */
export function expectNoLeak(caller: Who, body: unknown, complainants: ReadonlyMap<string, Complainant>): void {
  const views = caseViewsIn(body);
  const allowed = new Set<string>();
  for (const view of views) {
    expect({ case: view.id, readableBy: label(caller), mayRead: mayRead(caller, view) }).toEqual({
      case: view.id,
      readableBy: label(caller),
      mayRead: true,
    });
    const known = complainants.get(view.id);
    const entitled = maySeePersonalData(caller, view);
    if (entitled) allowed.add(view.id);
    if (known) {
      expect({ case: view.id, caller: label(caller), complainant: view.complainant }).toEqual({
        case: view.id,
        caller: label(caller),
        complainant: entitled ? known : undefined,
      });
    }
  }
  const text = JSON.stringify(body ?? null);
  for (const [id, complainant] of complainants) {
    if (allowed.has(id)) continue;
    if (text.includes(complainant.phone) || text.includes(complainant.name)) {
      throw new Error(`${label(caller)} got the personal data of case ${id} (${complainant.name}) in ${text.slice(0, 400)}…`);
    }
  }
}
