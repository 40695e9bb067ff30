import {
  acceptCase,
  activeWindow,
  CaseRecordSchema,
  CreateCaseBodySchema,
  currentLight,
  type CaseRecord,
  type CreateCaseBody,
  type IntakeContext,
} from '../../../functions/domain/case';
import { defaultCalendar } from '../../../functions/domain/calendar';
import { defaultDirectory } from '../../../functions/domain/directory';
import { DomainError } from '../../../functions/domain/errors';
import type { Caller } from '../../../functions/domain/identity';
import { defaultRoutingRules } from '../../../functions/domain/routing';
import { at, iso } from '../../support/shanghai-time';

const SHENGLI = 'community-xiling-shengli-silu';
const LONGPANHU = 'community-wujiagang-longpanhu';

const shengli: Caller = { sub: 'grid-officer-7', unit: SHENGLI, role: 'community' };
const supervisor: Caller = { sub: 'duty-officer-1', unit: 'supervision-centre', role: 'supervisor' };

const body = (fields: Partial<CreateCaseBody> = {}): CreateCaseBody => ({
  title: 'Water cut off after the handover',
  description: 'Residents of building 3 have had no water for two days.',
  category: 'routine',
  reportedVia: 'visit',
  ...fields,
});

const intake = (caller: Caller, shanghaiLocal: string): IntakeContext => ({
  caller,
  id: 'case-0001',
  nowMs: at(shanghaiLocal),
  directory: defaultDirectory,
  calendar: defaultCalendar,
  routingRules: defaultRoutingRules,
});

const accept = (fields: Partial<CreateCaseBody>, caller: Caller = shengli, shanghaiLocal = '2026-03-09T09:00:00') =>
  acceptCase(body(fields), intake(caller, shanghaiLocal));

function domainErrorOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('acceptCase: routing', () => {
  it('routes a routine case from a community to its own street office, waiting for sign-off', () => {
    const { record, event } = accept({});

    expect(record).toMatchObject({
      id: 'case-0001',
      title: 'Water cut off after the handover',
      description: 'Residents of building 3 have had no water for two days.',
      category: 'routine',
      reportedVia: 'visit',
      originUnit: SHENGLI,
      district: 'xiling',
      assignedUnit: 'street-xiling-xiling',
      firstHandlerUnit: 'street-xiling-xiling',
      involvedUnits: [SHENGLI, 'street-xiling-xiling'],
      tier: 0,
      status: 'awaiting-sign-off',
      light: 'green',
      createdAt: iso('2026-03-09T09:00:00'),
      windowStartedAt: iso('2026-03-09T09:00:00'),
      signOffDueAt: iso('2026-03-10T09:00:00'),
      resolveDueAt: iso('2026-03-23T09:00:00'),
      firedMilestones: [],
      signOffBreaches: 0,
      unsatisfiedCount: 0,
      extension: { state: 'none' },
      lastEventSeq: 1,
      version: 1,
    });
    expect(record.signedOffAt).toBeUndefined();
    expect(record.handler).toBeUndefined();
    expect(record.complainant).toBeUndefined();
    expect(event).toEqual({
      seq: 1,
      at: iso('2026-03-09T09:00:00'),
      type: 'CASE_ACCEPTED',
      unit: 'street-xiling-xiling',
      actor: { unit: SHENGLI, role: 'community', sub: 'grid-officer-7' },
      data: { keptInCommunity: false, routedBy: 'routing-rules' },
    });
    expect(() => CaseRecordSchema.parse(record)).not.toThrow();
  });

  it('routes city-level and district-level categories by the table', () => {
    expect(accept({ category: 'administrative-approval' }).record.assignedUnit).toBe('city-dept-government-services');
    expect(accept({ category: 'property-management' }).record.assignedUnit).toBe('city-dept-housing');

    const longpanhu: Caller = { sub: 'grid-officer-3', unit: LONGPANHU, role: 'community' };
    const labour = accept({ category: 'labour-wages' }, longpanhu).record;
    expect(labour.assignedUnit).toBe('district-dept-wujiagang-human-resources');
    expect(labour.district).toBe('wujiagang');
    expect(accept({ category: 'neighbour-family' }, longpanhu).record.assignedUnit).toBe('street-wujiagang-wujiagang');
  });

  it('lets the community keep the case: in progress, signed off now, handling window from now', () => {
    const { record, event } = accept({ assignedUnit: SHENGLI });

    expect(record.status).toBe('in-progress');
    expect(record.assignedUnit).toBe(SHENGLI);
    expect(record.firstHandlerUnit).toBe(SHENGLI);
    expect(record.involvedUnits).toEqual([SHENGLI]);
    expect(record.signedOffAt).toBe(iso('2026-03-09T09:00:00'));
    expect(record.signOffDueAt).toBeUndefined();
    // 9 working days from Mon 09:00: 0.625 + 4 (Tue–Fri) + 4 (Mon–Thu) + 0.375 → Fri 03-20 09:00.
    expect(record.resolveDueAt).toBe(iso('2026-03-20T09:00:00'));
    expect(record.windowStartedAt).toBe(iso('2026-03-09T09:00:00'));
    expect(record.light).toBe('green');
    expect(event.unit).toBe(SHENGLI);
    expect(event.data).toEqual({ keptInCommunity: true, routedBy: 'caller' });
    expect(() => CaseRecordSchema.parse(record)).not.toThrow();
  });

  it('accepts an explicit city department as the assigned unit', () => {
    const { record, event } = accept({ assignedUnit: 'city-dept-public-security' });
    expect(record.assignedUnit).toBe('city-dept-public-security');
    expect(record.status).toBe('awaiting-sign-off');
    expect(record.involvedUnits).toEqual([SHENGLI, 'city-dept-public-security']);
    expect(event.data).toEqual({ keptInCommunity: false, routedBy: 'caller' });
  });

  it('accepts a street office or a district department of another district when named', () => {
    expect(accept({ assignedUnit: 'street-xiling-xueyuan' }).record.assignedUnit).toBe('street-xiling-xueyuan');
    expect(accept({ assignedUnit: 'district-dept-dianjun-justice' }).record.assignedUnit).toBe('district-dept-dianjun-justice');
  });

  it.each(['district-office-xiling', 'city-office', 'joint-conference', 'supervision-centre', 'community-xiling-luluo-lu'])(
    'refuses %s as the assigned unit at intake (invalid on assignedUnit)',
    (unit) => {
      const error = domainErrorOf(() => accept({ assignedUnit: unit }));
      expect(error.kind).toBe('invalid');
      expect(error.path).toBe('assignedUnit');
    },
  );

  it('refuses an unknown assigned unit (invalid on assignedUnit)', () => {
    const error = domainErrorOf(() => accept({ assignedUnit: 'city-dept-nowhere' }));
    expect(error.kind).toBe('invalid');
    expect(error.path).toBe('assignedUnit');
    expect(error.message).toContain('city-dept-nowhere');
  });
});

describe('acceptCase: who accepts', () => {
  it('lets the supervision centre enter a case for a named community, routed from that community', () => {
    const { record, event } = accept({ originUnit: LONGPANHU }, supervisor);
    expect(record.originUnit).toBe(LONGPANHU);
    expect(record.district).toBe('wujiagang');
    expect(record.assignedUnit).toBe('street-wujiagang-wujiagang');
    expect(event.actor).toEqual({ unit: 'supervision-centre', role: 'supervisor', sub: 'duty-officer-1' });
  });

  it('lets the supervision centre enter a case the named community keeps', () => {
    const { record } = accept({ originUnit: LONGPANHU, assignedUnit: LONGPANHU }, supervisor);
    expect(record.status).toBe('in-progress');
    expect(record.assignedUnit).toBe(LONGPANHU);
  });

  it('requires the supervision centre to name the community (invalid on originUnit)', () => {
    const missing = domainErrorOf(() => accept({}, supervisor));
    expect(missing.kind).toBe('invalid');
    expect(missing.path).toBe('originUnit');

    for (const notACommunity of ['street-xiling-xiling', 'community-nowhere']) {
      const error = domainErrorOf(() => accept({ originUnit: notACommunity }, supervisor));
      expect(error.kind).toBe('invalid');
      expect(error.path).toBe('originUnit');
    }
  });

  it('lets a community name itself as origin, but never another community (forbidden)', () => {
    expect(accept({ originUnit: SHENGLI }).record.originUnit).toBe(SHENGLI);
    expect(domainErrorOf(() => accept({ originUnit: LONGPANHU })).kind).toBe('forbidden');
  });

  it('refuses intake by an agency, an office or an auditor (forbidden)', () => {
    const callers: Caller[] = [
      { sub: 'a', unit: 'street-xiling-xiling', role: 'agency' },
      { sub: 'b', unit: 'city-dept-housing', role: 'agency' },
      { sub: 'c', unit: 'district-office-xiling', role: 'district-office' },
      { sub: 'd', unit: 'supervision-centre', role: 'auditor' },
    ];
    for (const caller of callers) {
      expect(domainErrorOf(() => accept({ originUnit: SHENGLI }, caller)).kind).toBe('forbidden');
    }
  });

  it('refuses a community token whose unit is not a community (forbidden)', () => {
    const wrong: Caller = { sub: 'x', unit: 'street-xiling-xiling', role: 'community' };
    expect(domainErrorOf(() => accept({}, wrong)).kind).toBe('forbidden');
  });
});

describe('acceptCase: due dates', () => {
  it('gives a routine case 1 working day to sign off and 9 more to handle, on a plain Monday', () => {
    const { record } = accept({});
    expect(record.signOffDueAt).toBe(iso('2026-03-10T09:00:00'));
    // 9 working days from Tue 03-10 09:00 → Mon 03-23 09:00.
    expect(record.resolveDueAt).toBe(iso('2026-03-23T09:00:00'));
  });

  it('carries a Friday start over the weekend', () => {
    const { record } = accept({}, shengli, '2026-03-13T09:00:00');
    // 15 h left on Friday, 9 h on Monday.
    expect(record.signOffDueAt).toBe(iso('2026-03-16T09:00:00'));
    // 9 working days from Mon 03-16 09:00 → Fri 03-27 09:00.
    expect(record.resolveDueAt).toBe(iso('2026-03-27T09:00:00'));
  });

  it('carries a Friday start over the Qingming holiday (Sat 04-04 to Mon 04-06)', () => {
    const { record } = accept({}, shengli, '2026-04-03T09:00:00');
    expect(record.signOffDueAt).toBe(iso('2026-04-07T09:00:00'));
    // Wed 8, Thu 9, Fri 10, Mon 13 … Fri 17, Mon 20.
    expect(record.resolveDueAt).toBe(iso('2026-04-20T09:00:00'));
  });

  it('starts the clock at 00:00 of the next working day for a case accepted on a Saturday', () => {
    const { record } = accept({}, shengli, '2026-03-14T10:00:00');
    expect(record.signOffDueAt).toBe(iso('2026-03-17T00:00:00'));
    // Nine whole working days Tue 17 … Fri 27 end at Friday 24:00.
    expect(record.resolveDueAt).toBe(iso('2026-03-28T00:00:00'));
  });

  it('uses half-day sign-off windows and fractional handling windows from the category table', () => {
    const pollution = accept({ category: 'environment-pollution' }).record;
    expect(pollution.assignedUnit).toBe('city-dept-environment');
    expect(pollution.signOffDueAt).toBe(iso('2026-03-09T21:00:00'));
    expect(pollution.resolveDueAt).toBe(iso('2026-03-16T21:00:00'));

    // 17.4 working days kept in the community: 17 days → Wed 04-01 09:00, 0.4 day = 9 h 36 min.
    const laws = accept({ category: 'laws-and-regulations', assignedUnit: SHENGLI }).record;
    expect(laws.resolveDueAt).toBe(iso('2026-04-01T18:36:00'));
  });
});

describe('CreateCaseBodySchema', () => {
  const valid = {
    title: 'Noise from a building site at night',
    description: 'Work continues past 22:00 every day.',
    category: 'urban-management',
    reportedVia: 'hotline',
  };
  const issuePaths = (input: unknown): string[] => {
    const result = CreateCaseBodySchema.safeParse(input);
    return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
  };

  it('accepts a complete, well-formed body', () => {
    const full = {
      ...valid,
      complainant: { name: '张女士', phone: '13800138000', address: '胜利四路 12 号' },
      location: { address: '胜利四路', grid: 'G-07', latitude: 30.7, longitude: 111.29 },
      assignedUnit: 'city-dept-urban-management',
      originUnit: SHENGLI,
      occurredAt: '2026-03-08T22:30:00+08:00',
    };
    expect(CreateCaseBodySchema.parse(full)).toEqual(full);
  });

  it('rejects unknown fields, also inside the complainant', () => {
    expect(issuePaths({ ...valid, priority: 'high' })).toEqual(['']);
    expect(issuePaths({ ...valid, complainant: { name: 'A', idCard: '4205' } })).toEqual(['complainant']);
  });

  it('accepts mainland mobiles and landlines with area code, and nothing else', () => {
    for (const phone of ['13800138000', '+86 13800138000', '+86-19912345678', '0717-6221234', '07176221234', '010-12345678']) {
      expect(issuePaths({ ...valid, complainant: { name: 'A', phone } })).toEqual([]);
    }
    for (const phone of ['12800138000', '1380013800', '138001380001', '717-6221234', '+1 2025550123', 'call me']) {
      expect(issuePaths({ ...valid, complainant: { name: 'A', phone } })).toEqual(['complainant.phone']);
    }
  });

  it('wants instants with an offset or Z, never a bare local time', () => {
    expect(issuePaths({ ...valid, occurredAt: '2026-03-08T22:30:00+08:00' })).toEqual([]);
    expect(issuePaths({ ...valid, occurredAt: '2026-03-08T14:30:00Z' })).toEqual([]);
    expect(issuePaths({ ...valid, occurredAt: '2026-03-08T22:30:00' })).toEqual(['occurredAt']);
    expect(issuePaths({ ...valid, occurredAt: '2026-03-08' })).toEqual(['occurredAt']);
  });

  it('limits the title to 1–200 characters after trimming', () => {
    expect(issuePaths({ ...valid, title: 'x'.repeat(200) })).toEqual([]);
    expect(issuePaths({ ...valid, title: 'x'.repeat(201) })).toEqual(['title']);
    expect(issuePaths({ ...valid, title: '' })).toEqual(['title']);
    expect(issuePaths({ ...valid, title: '   ' })).toEqual(['title']);
    expect(CreateCaseBodySchema.parse({ ...valid, title: '  Noise  ' }).title).toBe('Noise');
  });

  it('rejects an unknown category, channel or malformed unit id', () => {
    expect(issuePaths({ ...valid, category: 'weather' })).toEqual(['category']);
    expect(issuePaths({ ...valid, reportedVia: 'pigeon' })).toEqual(['reportedVia']);
    expect(issuePaths({ ...valid, assignedUnit: 'City Dept' })).toEqual(['assignedUnit']);
  });

  it('requires title, description, category and reportedVia', () => {
    expect(issuePaths({}).sort()).toEqual(['category', 'description', 'reportedVia', 'title']);
  });
});

describe('currentLight and activeWindow', () => {
  it('measures a waiting case against its sign-off window', () => {
    const { record } = accept({});
    expect(activeWindow(record)).toEqual({ startMs: at('2026-03-09T09:00:00'), dueMs: at('2026-03-10T09:00:00') });

    // 75 % of one working day from Mon 09:00 is 18 h → Tue 03:00.
    expect(currentLight(record, at('2026-03-09T09:00:00'), defaultCalendar)).toBe('green');
    expect(currentLight(record, at('2026-03-10T03:00:00') - 1, defaultCalendar)).toBe('green');
    expect(currentLight(record, at('2026-03-10T03:00:00'), defaultCalendar)).toBe('yellow');
    expect(currentLight(record, at('2026-03-10T09:00:00') - 1, defaultCalendar)).toBe('yellow');
    expect(currentLight(record, at('2026-03-10T09:00:00'), defaultCalendar)).toBe('red');
  });

  it('measures a case in progress against its handling window, and the weekend does not move it', () => {
    const { record } = accept({ assignedUnit: SHENGLI });
    expect(activeWindow(record)).toEqual({ startMs: at('2026-03-09T09:00:00'), dueMs: at('2026-03-20T09:00:00') });

    // 6.75 of 9 days: 0.625 + 4 + 2 (Mon 16, Tue 17) + 0.125 → Wed 03-18 03:00.
    expect(currentLight(record, at('2026-03-15T23:59:59'), defaultCalendar)).toBe('green');
    expect(currentLight(record, at('2026-03-18T02:59:59'), defaultCalendar)).toBe('green');
    expect(currentLight(record, at('2026-03-18T03:00:00'), defaultCalendar)).toBe('yellow');
    expect(currentLight(record, at('2026-03-20T09:00:00'), defaultCalendar)).toBe('red');
    // A yellow share of one half: 4.5 days → Fri 03-13 21:00.
    expect(currentLight(record, at('2026-03-13T21:00:00'), defaultCalendar, 0.5)).toBe('yellow');
    expect(currentLight(record, at('2026-03-13T20:59:59'), defaultCalendar, 0.5)).toBe('green');
  });

  it('never shows a better light than the one recorded', () => {
    const { record } = accept({});
    expect(currentLight({ ...record, light: 'red' }, at('2026-03-09T09:00:00'), defaultCalendar)).toBe('red');
    expect(currentLight({ ...record, light: 'yellow' }, at('2026-03-09T09:00:00'), defaultCalendar)).toBe('yellow');
  });

  it('keeps the stored light of a closed case, however late it is read', () => {
    const { record } = accept({});
    const closed: CaseRecord = { ...record, status: 'closed', closedAt: iso('2026-03-10T08:00:00') };
    expect(activeWindow(closed)).toBeUndefined();
    expect(currentLight(closed, at('2026-12-31T00:00:00'), defaultCalendar)).toBe('green');
    expect(currentLight({ ...closed, light: 'yellow' }, at('2026-12-31T00:00:00'), defaultCalendar)).toBe('yellow');
  });

  it('measures a case awaiting evaluation or re-routing against that window', () => {
    const { record } = accept({});
    const evaluating: CaseRecord = {
      ...record,
      status: 'awaiting-evaluation',
      windowStartedAt: iso('2026-03-11T15:00:00'),
      evaluationDueAt: iso('2026-03-16T15:00:00'),
    };
    expect(activeWindow(evaluating)).toEqual({ startMs: at('2026-03-11T15:00:00'), dueMs: at('2026-03-16T15:00:00') });
    const returned: CaseRecord = {
      ...record,
      status: 'returned',
      windowStartedAt: iso('2026-03-09T11:00:00'),
      reRouteDueAt: iso('2026-03-10T11:00:00'),
    };
    expect(currentLight(returned, at('2026-03-10T11:00:00'), defaultCalendar)).toBe('red');
  });
});
