import { readSimulatedFigures } from '../../local/simulate/main';
import { expectedFigures, planSimulation } from '../../local/simulate/plan';
import { loadPreset } from '../../local/simulate/preset';
import { runPlan } from '../../local/simulate/runner';
import { startTestStack, type TestStack } from '../support/local-stack';

/*
 * The ci-small preset (240 cases over March and April 2026) replayed through a local stack's API,
 * workflows, timers and scheduled monthly reports, then read back from the reports the system
 * wrote. Two checks: the system's figures are the plan's (it did what it was told), and the plan's
 * shares are the preset's, within four standard deviations of a binomial draw of that size.
 */
const preset = loadPreset('ci-small');
const plan = planSimulation(preset);
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack('simulate', plan.startMs);
});

afterAll(async () => {
  await stack?.stop();
});

/** Within k standard deviations of n draws with probability p. */
function withinBinomial(observed: number, n: number, p: number, k = 4): boolean {
  return Math.abs(observed - n * p) <= k * Math.sqrt(n * p * (1 - p)) + 1;
}

describe('npm run simulate, on a small preset', () => {
  it('replays every case and the system reports what the plan expected', async () => {
    const result = await runPlan(plan, { url: stack.url, tokenFor: (unit, role) => stack.token(unit, role) }, { concurrency: 16, runId: 'ci' });
    expect(result.completed).toBe(true);
    expect(result.failureSamples).toEqual([]);
    expect(result.created).toBe(preset.cases);

    const figures = await readSimulatedFigures({ url: stack.url, tokenFor: (unit, role) => stack.token(unit, role) }, plan.months);
    const expected = expectedFigures(plan, plan.endMs);
    expect(figures.city.received).toBe(expected.received);
    expect(figures.city.resolved).toBe(expected.resolved);
    expect(figures.city.resolvedInCommunity).toBe(expected.resolvedInCommunity);
    expect(figures.city.satisfied).toBe(expected.satisfied);
    expect(figures.city.urges).toBe(expected.urges);
    // Every month's own report ran on the virtual clock and adds up to the period's intake.
    expect(figures.monthly.received).toBe(preset.cases);

    // The behaviour follows the preset's parameters.
    const n = plan.cases.length;
    const kept = plan.cases.filter((c) => c.kept).length;
    expect(withinBinomial(kept, n, preset.behaviour.kept)).toBe(true);
    const stuck = plan.cases.filter((c) => c.script === 'stuck').length;
    expect(withinBinomial(stuck, n, preset.behaviour.stuck)).toBe(true);
    const patrols = plan.cases.filter((c) => c.channel === 'patrol').length;
    const weights = Object.values(preset.channels).reduce((a, b) => a + b, 0);
    expect(withinBinomial(patrols, n, (preset.channels.patrol ?? 0) / weights)).toBe(true);
    // A case nobody resolves climbs tier by tier to the joint conference; the report sees each one the plan sends there.
    expect(expected.reachedJointConference).toBeGreaterThan(0);
    expect(figures.city.reachedJointConference).toBe(expected.reachedJointConference);
    expect(figures.city.returns).toBe(plan.cases.filter((c) => c.script === 'return').length);
    // Generous: on 2 shared cores under other suites' load the replay took up to two minutes; alone it takes far less.
  }, 300_000);
});
