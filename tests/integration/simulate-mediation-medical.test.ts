import { printMediation, readSimulatedFigures } from '../../local/simulate/main';
import { expectedFigures, expectedMediation, planSimulation, type MediationFigures, type Plan } from '../../local/simulate/plan';
import { loadPreset, type Preset } from '../../local/simulate/preset';
import { runPlan, type SimulationTarget } from '../../local/simulate/runner';
import { readMediationFigures, sectorRows } from '../../local/simulate/sector';
import { startTestStack, type TestStack } from '../support/local-stack';

/*
 * The seed's two mediation sector figures, replayed: every referral, answer, session, outcome and
 * fulfilment goes through the public API to the case workflows on the virtual clock, and the
 * figures are read back from GET /v1/statistics/mediation. Two checks, as for the seed's table:
 * the system counts what the plan says it did, and the system's figures are the sector's within
 * the table's bounds (counts ±1 %, rates ±0.5 points, "700余" at 700 or above). Nothing is timed.
 */

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
  it('medical-mediation: 52 disputes received by the medical-dispute committee, 33 closed with an agreement', async () => {
    const preset = loadPreset('medical-mediation');
    const body = preset.sectorFigures!.body;
    const { plan, stack, target, failures } = await replay('simulate-medical', preset);
    try {
      expect(failures).toEqual([]);
      const system = await readMediationFigures(target, plan.months, body);
      // The system counts exactly what the plan did.
      expect(system).toEqual(expectedMediation(plan, body));
      // The sector's figures, within the stated bounds: 52 received and 33 closed, each ±1 % (so exactly).
      expect(system.received).toBe(52);
      expect(system.agreements).toBe(33);
      const rows = sectorRows(preset.sectorFigures!, system);
      expect(rows.filter((row) => row.within !== undefined).map((row) => [row.figure, row.within])).toEqual([
        ['received 受理', true],
        ['closed 结案 (concluded with an agreement)', true],
      ]);
      // Every referral is the medical committee's; the rest of its intake failed, was declined, or is still being mediated at the end.
      expect(system.failed + system.declined + (system.received - system.declined - system.agreements - system.failed)).toBe(52 - 33);
      expect(system.failed).toBeGreaterThan(0);

      // What the tool prints: the plan's expectation, the system's count, the sector table with every bound met.
      const lines: string[] = [];
      const ok = printMediation(preset, plan, new Map<string, MediationFigures>([[body, system]]), (line) => lines.push(line));
      expect(ok).toBe(true);
      expect(lines.join('\n')).toMatch(/received 受理\s+52\s+52\s+±0 \(±0\.00 %\)\s+±1 % ok/);
      expect(lines.join('\n')).toMatch(/closed 结案 \(concluded with an agreement\)\s+33\s+33\s+±0 \(±0\.00 %\)\s+±1 % ok/);
      expect(lines.join('\n')).toMatch(/closed of received 结案率 %\s+59\s+63\.46/);
      expect(lines.join('\n')).not.toMatch(/OUT|differs/);

      // The workflows' own report sees the same cases: resolved after the mediation, rated, as the plan said.
      const report = await readSimulatedFigures(target, plan.months);
      const expected = expectedFigures(plan, plan.endMs);
      expect([report.city.received, report.city.resolved, report.city.satisfied]).toEqual([expected.received, expected.resolved, expected.satisfied]);
    } finally {
      await stack.stop();
    }
    // Generous: on 2 shared cores under other suites' load; nothing in the test is timed.
  }, 600_000);
});
