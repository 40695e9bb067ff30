/**
 * Runs a plan against a local stack through its public HTTP API and its virtual clock: slot by
 * slot, the clock is moved to the slot (firing every timer due before it, the monthly reports
 * among them) and the slot's actions are sent together, a few at a time. The clock endpoint waits
 * until the workflows have applied what was sent before it moves, so a case's next action always
 * finds the previous one applied.
 */
import { ROLE_OF_UNIT_KIND } from '../../functions/domain/roles';
import { defaultDirectory } from '../../functions/domain/directory';
import { monthEndMs, monthOf } from '../../functions/domain/assessment-period';
import { toShanghaiIso } from '../../functions/domain/calendar';
import type { MediationEnd, Plan, PlannedCase, Step } from './plan';

const HOUR_MS = 3_600_000;
const SUPERVISION_CENTRE = 'supervision-centre';

export interface SimulationTarget {
  readonly url: string;
  tokenFor(unit: string, role: string): Promise<string>;
}

export interface Progress {
  readonly month: string;
  readonly created: number;
  readonly totalCases: number;
  readonly stepsDone: number;
  readonly totalSteps: number;
  readonly firedTimers: number;
  readonly elapsedMs: number;
  readonly stepsPerSecond: number;
  readonly etaMs: number | undefined;
}

export interface Timings {
  intakeMs: number;
  actionsMs: number;
  clockMs: number;
  reportsMs: number;
}

export interface RunResult {
  readonly completed: boolean;
  /** The virtual time the replay reached. */
  readonly reachedMs: number;
  readonly created: number;
  readonly actions: number;
  readonly firedTimers: number;
  readonly failures: number;
  readonly failureSamples: readonly string[];
  readonly timings: Timings;
  readonly elapsedMs: number;
  /** Slots replayed: each is an intake batch, an action batch and a clock advance. */
  readonly slots: number;
  /** Each kind of step: how many were sent and their summed latency (a batch waits for its slowest). */
  readonly byKind: Readonly<Record<string, { readonly count: number; readonly ms: number }>>;
}

export interface RunOptions {
  /** Requests in flight at once inside a slot. */
  readonly concurrency: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: Progress) => void;
  /** Real milliseconds between progress calls. */
  readonly progressEveryMs?: number;
  /** A tag that makes idempotency keys unique to this run. */
  readonly runId: string;
}

interface CaseState {
  id?: string;
  trackingCode?: string;
  holder?: string;
  dead: boolean;
}

class HttpFailure extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const TEXTS = {
  title: (c: PlannedCase) => `模拟案件 ${c.index + 1}（${c.category}）`,
  description: '模拟回放：按预设参数生成的案件，用于演练和容量评估。',
  referNote: (byCommunity: boolean) => (byCommunity ? '双方当事人均同意调解，受理时直接移交调解组织' : '经初步核查，适宜调解，移交调解组织'),
  declineReason: '当事人尚未取得事故认定或鉴定结论，暂不具备调解条件',
  sessionRecord: (n: number) => `第${n}次调解：听取双方陈述，核对证据和损失清单，释明法律规定，促成双方协商。`,
  terms: (c: PlannedCase) => (c.category === 'road-traffic-accident' ? '责任方赔偿受害方医疗费、误工费、车辆维修费等损失，由保险公司在责任限额内直接赔付，其余由责任方支付。' : '被申请方一次性赔偿申请方各项损失，双方就此纠纷再无其他争议。'),
  failureReason: '双方对责任认定和赔偿数额分歧较大，经多次调解未能达成协议',
  fulfilmentNote: (fulfilled: boolean) => (fulfilled ? '经回访，协议已按期履行完毕' : '经回访，赔偿义务人未按期履行协议'),
  resolved: (after: MediationEnd | undefined) =>
    after === 'fulfilled'
      ? { summary: '经调解达成协议，协议已履行', outcome: '纠纷已化解' }
      : after === 'failed'
        ? { summary: '调解未成，已告知当事人依法通过诉讼、仲裁等途径解决', outcome: '已引导当事人依法维权' }
        : after === 'unfulfilled'
          ? { summary: '调解协议未履行，已告知当事人可依法申请司法确认或提起诉讼', outcome: '已引导当事人依法维权' }
          : after === 'declined'
            ? { summary: '调解组织不予受理，由本单位依职责办理', outcome: '问题已解决' }
            : { summary: '已按规定办理', outcome: '问题已解决' },
};

/** The people at a session, by role (made-up names: a replay holds no one's data). */
const participants = (c: PlannedCase) => [
  { role: 'applicant', name: '模拟申请人' },
  { role: 'respondent', name: c.category === 'medical-dispute' ? '模拟医疗机构' : '模拟被申请人' },
  ...(c.category === 'road-traffic-accident' ? [{ role: 'insurer', name: '模拟保险公司' }] : []),
  { role: 'mediator', name: '模拟调解员' },
];

export async function runPlan(plan: Plan, target: SimulationTarget, options: RunOptions): Promise<RunResult> {
  const tokens = new Map<string, Promise<string>>();
  const tokenOf = (unit: string) => {
    let token = tokens.get(unit);
    if (!token) {
      const kind = defaultDirectory.require(unit).kind;
      token = target.tokenFor(unit, ROLE_OF_UNIT_KIND[kind as keyof typeof ROLE_OF_UNIT_KIND]);
      tokens.set(unit, token);
    }
    return token;
  };

  const call = async (method: string, path: string, unit?: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> => {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${target.url}${path}`, {
        method,
        headers: {
          ...(unit ? { authorization: `Bearer ${await tokenOf(unit)}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      if ((response.status === 429 || response.status === 503) && attempt < 5) {
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        continue;
      }
      const parsed = text ? JSON.parse(text) : undefined;
      if (response.status >= 400) throw new HttpFailure(response.status, `${method} ${path} → ${response.status}: ${parsed?.detail ?? text.slice(0, 200)}`);
      return parsed;
    }
  };

  const timings: Timings = { intakeMs: 0, actionsMs: 0, clockMs: 0, reportsMs: 0 };
  let firedTimers = 0;
  let nowMs: number = (await call('GET', '/_local/clock')).nowMs;
  const advanceTo = async (targetMs: number, bucket: keyof Timings) => {
    const started = performance.now();
    const seconds = Math.max(0, (targetMs - nowMs) / 1000);
    const answer = await call('POST', '/_local/clock/advance', undefined, { seconds });
    firedTimers += answer.fired ?? 0;
    nowMs = answer.nowMs;
    timings[bucket] += performance.now() - started;
  };

  const states: CaseState[] = plan.cases.map(() => ({ dead: false }));
  let created = 0;
  let actions = 0;
  let failures = 0;
  const failureSamples: string[] = [];

  /** The PIN of the latest result SMS to the case's complainant (GET /_local/notifications), then POST /v1/track/{code}/evaluation. */
  const rateAsComplainant = async (state: CaseState, rating: string) => {
    const { items } = await call('GET', `/_local/notifications?caseId=${state.id}`);
    const pins = (items as Array<{ channel: string; text: string }>)
      .filter((n) => n.channel === 'sms')
      .map((n) => /评价码\D{0,12}(\d{6})/.exec(n.text)?.[1])
      .filter((pin): pin is string => pin !== undefined);
    const pin = pins[pins.length - 1];
    if (!pin) throw new Error(`case ${state.id}: no result SMS with a PIN in /_local/notifications`);
    await call('POST', `/v1/track/${state.trackingCode}/evaluation`, undefined, { pin, rating });
  };

  const byKind: Record<string, { count: number; ms: number }> = {};
  let slots = 0;
  const act = async (c: PlannedCase, step: Step): Promise<void> => {
    const state = states[c.index]!;
    if (state.dead) return;
    if (step.kind !== 'create' && !state.id) return;
    const sentAt = performance.now();
    const kind = (byKind[step.kind] ??= { count: 0, ms: 0 });
    try {
      if (step.refresh) {
        const found = await call('GET', `/v1/cases/${state.id}`, SUPERVISION_CENTRE);
        state.holder = found.assignedUnit;
        actions += 1;
      }
      const holder = state.holder!;
      const path = `/v1/cases/${state.id}`;
      switch (step.kind) {
        case 'create': {
          const answer = await call(
            'POST',
            '/v1/cases',
            c.community,
            {
              title: TEXTS.title(c),
              description: TEXTS.description,
              category: c.category,
              reportedVia: c.channel,
              // A complainant with a mobile number: the result SMS carries the PIN the complainant rates with.
              complainant: { name: '模拟群众', phone: `139${String(c.index % 100_000_000).padStart(8, '0')}` },
              ...(c.kept ? { assignedUnit: c.community } : {}),
            },
            { 'idempotency-key': `sim-${options.runId}-${c.index}` },
          );
          state.id = answer.id;
          state.trackingCode = answer.trackingCode;
          state.holder = answer.assignedUnit;
          created += 1;
          break;
        }
        case 'sign-off':
          await call('POST', `${path}/sign-off`, holder, { handler: { name: '模拟经办人' } });
          break;
        case 'return':
          await call('POST', `${path}/return`, holder, { reason: '不属于本单位职责，请改派' });
          break;
        case 'reassign':
          await call('POST', `${path}/supervise`, SUPERVISION_CENTRE, { action: 'reassign', toUnit: step.toUnit, note: '改派至属地街道办' });
          state.holder = step.toUnit;
          break;
        case 'escalate':
          await call('POST', `${path}/escalate`, holder, { reason: '本单位无法解决，提请上一级协调' });
          break;
        case 'extension':
          await call('POST', `${path}/extension`, holder, { workingDays: step.workingDays, reason: '需协调多方，申请延期' });
          break;
        case 'approve-extension':
          await call('POST', `${path}/supervise`, SUPERVISION_CENTRE, { action: 'approve-extension', note: '同意延期' });
          break;
        case 'urge':
          await call('POST', `${path}/supervise`, SUPERVISION_CENTRE, { action: 'urge', note: '请加快办理' });
          break;
        case 'resolve':
          await call('POST', `${path}/resolve`, holder, { ...TEXTS.resolved(step.afterMediation), approvedBy: { name: '模拟领导', post: '分管负责人' } });
          break;
        case 'refer-mediation':
          await call('POST', `${path}/mediation`, step.byCommunity ? c.community : holder, { body: step.body, note: TEXTS.referNote(step.byCommunity === true) });
          break;
        case 'mediation-accept':
          await call('POST', `${path}/mediation/accept`, step.body, {});
          break;
        case 'mediation-decline':
          await call('POST', `${path}/mediation/decline`, step.body, { reason: TEXTS.declineReason });
          break;
        case 'mediation-session':
          // Held now, on the virtual clock (a session is never recorded before it is held).
          await call('POST', `${path}/mediation/sessions`, step.body, { at: toShanghaiIso(step.at), record: TEXTS.sessionRecord(step.session!), participants: participants(c), place: '调解室' });
          break;
        case 'mediation-outcome':
          await call(
            'POST',
            `${path}/mediation/outcome`,
            step.body,
            step.outcome === 'agreement'
              ? {
                  result: 'agreement',
                  terms: TEXTS.terms(c),
                  amounts: [{ payer: '模拟被申请人', payee: '模拟申请人', amountYuan: step.amountYuan, dueBy: step.dueBy }],
                  signed: true,
                  signedAt: toShanghaiIso(step.at),
                }
              : { result: 'failed', reason: TEXTS.failureReason, advice: step.advice },
          );
          break;
        case 'mediation-fulfilment':
          await call('POST', `${path}/mediation/fulfilment`, step.body, { fulfilled: step.fulfilled, note: TEXTS.fulfilmentNote(step.fulfilled === true) });
          break;
        case 'evaluate':
          // A community may not rate a result it reported itself: the complainant rates it with the PIN from the result SMS.
          if (c.expected.resolvedInCommunity && state.trackingCode) {
            await rateAsComplainant(state, step.rating!);
            break;
          }
          try {
            await call('POST', `${path}/evaluate`, c.community, { rating: step.rating });
          } catch (error) {
            // A result the plan did not foresee the community reporting: the complainant rates it.
            if (!(error instanceof HttpFailure && error.status === 403 && state.trackingCode)) throw error;
            await rateAsComplainant(state, step.rating!);
          }
          break;
      }
      if (step.kind !== 'create') actions += 1;
      kind.count += 1;
      kind.ms += performance.now() - sentAt;
    } catch (error) {
      // A case whose action was refused is left where it is: the system's timers take it from there.
      state.dead = true;
      failures += 1;
      if (failureSamples.length < 10) failureSamples.push(`case ${c.index + 1} ${step.kind}: ${(error as Error).message}`);
    }
  };

  /** Every step of the plan, in time order; a case's steps are at least a slot apart, so never in one batch. */
  const order: Array<[number, number]> = [];
  plan.cases.forEach((c, i) => c.steps.forEach((_, s) => order.push([i, s])));
  // Only what falls inside the replayed months: the stack is left as it stands at the end of the last one.
  for (let k = order.length - 1; k >= 0; k--) if (plan.cases[order[k]![0]]!.steps[order[k]![1]]!.at >= plan.endMs) order.splice(k, 1);
  order.sort((a, b) => plan.cases[a[0]]!.steps[a[1]]!.at - plan.cases[b[0]]!.steps[b[1]]!.at || a[0] - b[0]);

  /** The monthly report runs at 01:00 on the 1st: its advance is timed apart (it fires the case timers of that hour too). */
  const reportTimes = plan.months.map((month) => monthEndMs(month) + HOUR_MS + 1000);
  let nextReport = 0;
  const crossReports = async (untilMs: number) => {
    while (nextReport < reportTimes.length && reportTimes[nextReport]! <= untilMs) {
      if (reportTimes[nextReport]! > nowMs) {
        await advanceTo(reportTimes[nextReport]! - HOUR_MS - 1000, 'clockMs');
        await advanceTo(reportTimes[nextReport]!, 'reportsMs');
      }
      nextReport += 1;
    }
  };

  const started = performance.now();
  let lastProgress = 0;
  const progress = (force = false) => {
    const elapsedMs = performance.now() - started;
    if (!options.onProgress || (!force && elapsedMs - lastProgress < (options.progressEveryMs ?? 2000))) return;
    lastProgress = elapsedMs;
    const stepsDone = created + actions;
    const rate = (stepsDone + firedTimers) / Math.max(elapsedMs / 1000, 0.001);
    const done = position / Math.max(order.length, 1);
    options.onProgress({
      month: monthOf(nowMs),
      created,
      totalCases: plan.cases.length,
      stepsDone,
      totalSteps: plan.steps,
      firedTimers,
      elapsedMs,
      stepsPerSecond: rate,
      etaMs: done > 0.01 ? (elapsedMs / done) * (1 - done) : undefined,
    });
  };

  let position = 0;
  while (position < order.length && !options.signal?.aborted) {
    const at = plan.cases[order[position]![0]]!.steps[order[position]![1]]!.at;
    let end = position;
    while (end < order.length && plan.cases[order[end]![0]]!.steps[order[end]![1]]!.at === at) end += 1;
    await crossReports(at);
    if (at > nowMs) await advanceTo(at, 'clockMs');
    const batch = order.slice(position, end);
    const isCreate = ([i, s]: [number, number]) => plan.cases[i]!.steps[s]!.kind === 'create';
    // Intake and the other actions of the slot are sent apart, so each is timed on its own.
    for (const [part, bucket] of [[batch.filter(isCreate), 'intakeMs'], [batch.filter((x) => !isCreate(x)), 'actionsMs']] as const) {
      if (part.length === 0) continue;
      const actStarted = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(options.concurrency, part.length) }, async () => {
          while (next < part.length) {
            const [i, s] = part[next++]!;
            await act(plan.cases[i]!, plan.cases[i]!.steps[s]!);
          }
        }),
      );
      timings[bucket] += performance.now() - actStarted;
    }
    position = end;
    slots += 1;
    progress();
  }
  const completed = !options.signal?.aborted;
  if (completed) {
    // The last month ends and its report runs.
    await crossReports(plan.endMs + 2 * HOUR_MS);
  } else {
    // Let the workflows apply what was sent before the stop.
    await advanceTo(nowMs, 'clockMs');
  }
  progress(true);
  return { completed, reachedMs: nowMs, created, actions, firedTimers, failures, failureSamples, timings, elapsedMs: performance.now() - started, slots, byKind };
}
