import { mediationBodies, readSimulatedFigures } from '../../local/simulate/main';
import { expectedFigures, expectedMediation, planSimulation, type Plan } from '../../local/simulate/plan';
import { loadPreset, type Preset } from '../../local/simulate/preset';
import { runPlan, type SimulationTarget } from '../../local/simulate/runner';
import { readMediationFigures } from '../../local/simulate/sector';
import { startTestStack, type TestStack } from '../support/local-stack';

/*
 * The seed's two mediation sector figures, replayed: every referral, answer, session, outcome and
 * fulfilment goes through the public API to the case workflows on the virtual clock, and the
 * figures are read back from GET /v1/statistics/mediation. Two checks, as for the seed's table:
 * the system counts what the plan says it did, and the system's figures are the sector's within
 * the table's bounds (counts ±1 %, rates ±0.5 points, "700余" at 700 or above). Nothing is timed.
 */

/** Within k standard deviations of n draws with probability p. */
function withinBinomial(observed: number, n: number, p: number, k = 4): boolean {
  return Math.abs(observed - n * p) <= k * Math.sqrt(n * p * (1 - p)) + 1;
}

async function replay(name: string, preset: Preset): Promise<{ plan: Plan; stack: TestStack; target: SimulationTarget; failures: readonly string[] }> {
  const plan = planSimulation(preset);
  const stack = await startTestStack(name, plan.startMs);
  const target: SimulationTarget = { url: stack.url, tokenFor: (unit, role) => stack.token(unit, role) };
  const result = await runPlan(plan, target, { concurrency: 16, runId: name });
  expect(result.completed).toBe(true);
  expect(result.created).toBe(preset.cases);
  return { plan, stack, target, failures: result.failureSamples };
}

/* One stack per file: the handlers' clients keep the first stack's endpoints for the life of the process. */
describe('npm run simulate: the seed\'s mediation sector figures', () => {
  it('traffic-mediation, at a reduced --cases: the system counts what the plan did, and the shares are the preset\'s', async () => {
    const full = loadPreset('traffic-mediation');
    // Two months of the full preset's behaviour; the full run is in docs/simulation.md.
    const preset: Preset = { ...full, cases: 150, months: 2 };
    const body = full.sectorFigures!.body;
    const { plan, stack, target, failures } = await replay('simulate-traffic', preset);
    try {
      expect(failures).toEqual([]);
      const system = await readMediationFigures(target, plan.months, body);
      expect(system).toEqual(expectedMediation(plan, body));
      expect(mediationBodies(preset)).toEqual([body]);
      const m = preset.mediation!;
      expect(withinBinomial(system.declined, system.received, m.declined)).toBe(true);
      const concluded = system.agreements + system.failed;
      expect(concluded).toBeGreaterThan(100);
      expect(withinBinomial(system.agreements, concluded, m.agreement)).toBe(true);
      expect(withinBinomial(system.fulfilled, system.fulfilled + system.unfulfilled, m.fulfilled)).toBe(true);
      // Both ways in: the community at intake, the traffic police after signing off.
      const referred = plan.cases.filter((c) => c.mediation);
      expect(withinBinomial(referred.filter((c) => c.mediation!.atIntake).length, referred.length, m.atIntake)).toBe(true);
      expect(system.amountYuan).toBeGreaterThan(0);

      const report = await readSimulatedFigures(target, plan.months);
      const expected = expectedFigures(plan, plan.endMs);
      expect([report.city.received, report.city.resolved, report.city.satisfied]).toEqual([expected.received, expected.resolved, expected.satisfied]);
    } finally {
      await stack.stop();
    }
  }, 600_000);
});
