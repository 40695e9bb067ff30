import {
  addCase,
  assessCase,
  emptyPartial,
  handlingTimeOf,
  histogramAtMost,
  histogramPercentile,
  percent,
} from '../../../functions/domain/assessment';
import { categoryById } from '../../../functions/domain/categories';
import { defaultCalendar } from '../../../functions/domain/calendar';
import { at, kase, ms } from './cases';

const options = { calendar: defaultCalendar };
const END_OF_MARCH = ms('2026-04-01T00:00');
const binOf = (createdAt: string, resolvedAt: string) =>
  assessCase(kase({ createdAt: at(createdAt), metrics: { firstResolvedAt: at(resolvedAt) } }), END_OF_MARCH, options).handlingBin;

describe('handling time in working days', () => {
  it('measures working time from intake to the first result, in tenths of a working day rounded up', () => {
    // Monday 9 March 2026 09:00 → 21:00: half a working day.
    expect(binOf('2026-03-09T09:00', '2026-03-09T21:00')).toBe(5);
    // → Tuesday 09:00: one working day.
    expect(binOf('2026-03-09T09:00', '2026-03-10T09:00')).toBe(10);
    // Friday 09:00 → Monday 09:00: the weekend does not count (15 h + 9 h).
    expect(binOf('2026-03-13T09:00', '2026-03-16T09:00')).toBe(10);
    // Fourteen minutes is a started tenth.
    expect(binOf('2026-03-09T09:00', '2026-03-09T09:14')).toBe(1);
    // A result at the moment of intake takes no time.
    expect(binOf('2026-03-09T09:00', '2026-03-09T09:00')).toBe(0);
    // Not resolved by the cutoff: no time measured.
    expect(assessCase(kase(), END_OF_MARCH, options).handlingBin).toBeUndefined();
  });

  it('takes nearest-rank percentiles: the smallest value with at least p % of cases at or below it', () => {
    const odd = { '5': 1, '10': 2, '23': 1, '99': 1 }; // 0.5, 1.0, 1.0, 2.3, 9.9
    expect(histogramPercentile(odd, 50)).toBe(1); // rank ceil(2.5) = 3
    expect(histogramPercentile(odd, 90)).toBe(9.9); // rank ceil(4.5) = 5
    const even = { '10': 1, '20': 1, '30': 1, '40': 1 };
    expect(histogramPercentile(even, 50)).toBe(2); // rank 2
    expect(histogramPercentile(even, 90)).toBe(4); // rank ceil(3.6) = 4
    expect(histogramPercentile({}, 50)).toBeNull();
    const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String((i + 1) * 10), 1]));
    expect(histogramPercentile(ten, 90)).toBe(9); // rank 9 exactly
  });

  it('sets median and p90 against the category window (sign-off + handling)', () => {
    const partial = emptyPartial(['2026-03'], END_OF_MARCH);
    const resolutions = ['2026-03-09T21:00', '2026-03-10T09:00', '2026-03-10T09:00', '2026-03-11T16:12', '2026-03-23T06:36'];
    for (const resolvedAt of resolutions) {
      addCase(partial, kase({ createdAt: at('2026-03-09T09:00'), metrics: { firstResolvedAt: at(resolvedAt) } }), options);
    }
    expect(partial.handlingTime.routine).toEqual({ '5': 1, '10': 2, '23': 1, '99': 1 });
    // routine: 1 + 9 = 10 working days; the 9.9-day case is inside it.
    expect(handlingTimeOf(partial.handlingTime.routine, categoryById('routine'))).toEqual({
      resolved: 5,
      windowWorkingDays: 10,
      medianWorkingDays: 1,
      p90WorkingDays: 9.9,
      withinWindow: 5,
    });
    // laws and regulations: 1 + 17.4 = 18.4 working days, exactly on a bin edge.
    expect(histogramAtMost({ '184': 2, '185': 1 }, 18.4)).toBe(2);
    expect(handlingTimeOf({}, categoryById('laws-and-regulations')).windowWorkingDays).toBe(18.4);
  });
});

describe('rounding of rates', () => {
  it("gives the seed's Jan–Oct 2011 rates to two decimals", () => {
    expect(percent(13_702, 14_662)).toBe(93.45);
    expect(percent(12_592, 13_702)).toBe(91.9);
    expect(percent(13_593, 13_702)).toBe(99.2);
  });

  it('rounds half up, from the integers', () => {
    expect(percent(1, 20_000)).toBe(0.01); // 0.005 % → 0.01 (half-even would give 0.00)
    expect(percent(2_469, 20_000)).toBe(12.35); // 12.345 %; 0.12345 * 100 in floating point is 12.344999…
    expect(percent(1, 3)).toBe(33.33);
    expect(percent(2, 3)).toBe(66.67);
    expect(percent(1, 8)).toBe(12.5);
    expect(percent(0, 5)).toBe(0);
    expect(percent(5, 5)).toBe(100);
  });

  it('has no rate without a denominator, and refuses what is not a count', () => {
    expect(percent(0, 0)).toBeNull();
    expect(() => percent(1.5, 3)).toThrow(RangeError);
    expect(() => percent(-1, 3)).toThrow(RangeError);
  });
});
