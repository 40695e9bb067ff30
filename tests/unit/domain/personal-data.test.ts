import { acceptCase, type CaseRecord } from '../../../functions/domain/case';
import { defaultCalendar } from '../../../functions/domain/calendar';
import { defaultDirectory } from '../../../functions/domain/directory';
import { defaultRoutingRules } from '../../../functions/domain/routing';
import { erasePersonalData, isPastRetention, retentionCutoffMs } from '../../../functions/domain/personal-data';
import { at } from '../../support/shanghai-time';

const DAY_MS = 24 * 3600 * 1000;
const policy = { personalDataRetentionDays: 1095 };

function record(fields: Partial<CaseRecord> = {}): CaseRecord {
  const { record: accepted } = acceptCase(
    { title: '路灯不亮', description: '小区门口路灯损坏', category: 'routine', reportedVia: 'phone', complainant: { name: '张明', phone: '13800138000' } },
    {
      caller: { sub: 'c', unit: 'community-xiling-shengli-silu', role: 'community' },
      id: 'case-1',
      nowMs: at('2026-03-09T09:00:00'),
      directory: defaultDirectory,
      calendar: defaultCalendar,
      routingRules: defaultRoutingRules,
    },
  );
  return { ...accepted, ...fields };
}

const closedAt = '2026-04-01T10:00:00.000+08:00';

test('a closed case is past retention exactly the retention period after it closed', () => {
  const closed = record({ status: 'closed', closedAt });
  const end = Date.parse(closedAt) + policy.personalDataRetentionDays * DAY_MS;
  expect(retentionCutoffMs(end, policy)).toBe(Date.parse(closedAt));
  expect(isPastRetention(closed, end - 1, policy)).toBe(false);
  expect(isPastRetention(closed, end, policy)).toBe(true);
});

test('an open case is never past retention, however old', () => {
  expect(isPastRetention(record(), at('2036-01-01T00:00:00'), policy)).toBe(false);
});

test('erasing drops the complainant only, and says why in the timeline', () => {
  const closed = record({ status: 'closed', closedAt });
  const erased = erasePersonalData(closed, 'request', '2026-05-01T09:00:00.000+08:00', { unit: 'supervision-centre', role: 'supervisor' });
  expect(erased?.record).not.toHaveProperty('complainant');
  const { complainant: _gone, ...rest } = closed;
  expect(erased?.record).toEqual(rest);
  expect(erased?.event).toEqual({
    at: '2026-05-01T09:00:00.000+08:00',
    type: 'PERSONAL_DATA_ERASED',
    actor: { unit: 'supervision-centre', role: 'supervisor' },
    data: { reason: 'request' },
  });
});

test('a case without a complainant has nothing to erase', () => {
  const { complainant: _none, ...without } = record();
  expect(erasePersonalData(without, 'retention', closedAt)).toBeUndefined();
});
