import { addCase, emptyPartial, ratesOf } from '../../../functions/domain/assessment';
import { defaultCalendar } from '../../../functions/domain/calendar';
import { monthEndMs } from '../../../functions/domain/assessment-period';
import { expectedFigures, scaledMix, SCRIPTS, simulateCases, type ScriptMix } from '../../support/seed-fixture';

/*
 * Cases made by the workflow's own functions (acceptCase, applySignal, applyTick: see
 * tests/support/seed-fixture.ts) scored by the assessment: what each script did to a case is
 * what the report counts, whatever the random variations (late sign-offs, escalations,
 * returns, urges, extensions) inside it.
 */
const everyScript = Object.fromEntries(SCRIPTS.map((script) => [script, 12])) as ScriptMix;

function score(months: string[], mix: ScriptMix, seed: number) {
  const partial = emptyPartial(months, monthEndMs(months[months.length - 1]));
  for (const c of simulateCases({ months, mix, seed })) addCase(partial, c, { calendar: defaultCalendar });
  return partial;
}

describe('cases made through the workflow, scored', () => {
  it.each([1, 2, 3, 4, 5])('count exactly what their scripts did (seed %i)', (seed) => {
    const partial = score(['2026-03', '2026-04'], everyScript, seed);
    expect(partial.city).toMatchObject(expectedFigures(everyScript));
    const c = partial.city;
    expect(c.unsatisfied).toBe(24);
    expect(c.notImplemented).toBe(24);
    expect(c.notEvaluated).toBe(24);
    expect(c.awaitingEvaluation).toBe(24);
    // Kept cases need no sign-off; every routed one is routed.
    expect(c.routed).toBe(SCRIPTS.filter((s) => s.startsWith('routed-')).length * 12);
    // Unresolved cases are open at the end; so are the ones reopened or awaiting a rating.
    expect(c.openAtEnd).toBe(c.received - c.resolved + c.unsatisfied + c.notImplemented + c.awaitingEvaluation);
  });

  it('fits a single month (a short period) too', () => {
    const mix = scaledMix(600);
    const partial = score(['2026-10'], mix, 9);
    expect(partial.city).toMatchObject(expectedFigures(mix));
    expect(ratesOf(partial.city).resolution).toBeGreaterThan(90);
  });

  it('scales the seed mix to any size, the parts adding up exactly', () => {
    for (const total of [1, 10, 999, 100_000]) {
      expect(SCRIPTS.reduce((n, s) => n + scaledMix(total)[s], 0)).toBe(total);
    }
  });
});
