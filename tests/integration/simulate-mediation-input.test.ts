import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPreset, SimulationInputError } from '../../local/simulate/preset';
import { planSimulation } from '../../local/simulate/plan';

/*
 * A mediation preset that cannot be replayed is refused before anything starts, with one line
 * naming what is wrong; and adding mediation to a preset leaves the rest of its plan as it was.
 */
let dir: string;
const medical = loadPreset('medical-mediation');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lr-presets-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refused(name: string, preset: unknown): Promise<string> {
  await writeFile(join(dir, `${name}.json`), JSON.stringify(preset));
  try {
    loadPreset(name, dir);
  } catch (error) {
    expect(error).toBeInstanceOf(SimulationInputError);
    return (error as Error).message;
  }
  throw new Error(`preset ${name} was accepted`);
}

describe('simulate: mediation presets', () => {
  it('refuses a body that is not a mediation committee, or one that does not take the category', async () => {
    const m = medical.mediation!;
    expect(await refused('not-a-body', { ...medical, sectorFigures: undefined, mediation: { ...m, bodies: { 'medical-dispute': 'city-dept-health' } } })).toMatch(
      /mediation\.bodies\.medical-dispute: city-dept-health is not a mediation committee/,
    );
    expect(await refused('wrong-sector', { ...medical, sectorFigures: undefined, mediation: { ...m, bodies: { 'medical-dispute': 'mediation-city-traffic-accident' } } })).toMatch(
      /mediation-city-traffic-accident takes only road-traffic-accident/,
    );
    expect(await refused('no-body', { ...medical, sectorFigures: undefined, mediation: { ...m, bodies: {} } })).toMatch(/mediation\.referred names medical-dispute but mediation\.bodies gives it no body/);
  });

  it('refuses shares out of range, backwards ranges, absurd amounts and sector figures without a body to reproduce them', async () => {
    const m = medical.mediation!;
    expect(await refused('share', { ...medical, mediation: { ...m, agreement: 1.2 } })).toMatch(/^Preset share: mediation\.agreement: /);
    expect(await refused('backwards', { ...medical, mediation: { ...m, sessions: [3, 1] } })).toMatch(/mediation\.sessions: low must not exceed high/);
    expect(await refused('absurd', { ...medical, mediation: { ...m, amountYuan: [1000, 90_000_000] } })).toMatch(/mediation\.amountYuan\.1/);
    expect(await refused('negative', { ...medical, mediation: { ...m, amountYuan: [-5, 100] } })).toMatch(/mediation\.amountYuan\.0/);
    expect(await refused('no-advice', { ...medical, mediation: { ...m, advice: {} } })).toMatch(/mediation\.advice needs a positive weight/);
    expect(await refused('no-mediation', { ...medical, mediation: undefined })).toMatch(/sectorFigures need a mediation section/);
    expect(await refused('other-body', { ...medical, sectorFigures: { ...medical.sectorFigures!, body: 'mediation-city-traffic-accident' } })).toMatch(
      /sectorFigures\.body mediation-city-traffic-accident is not one of mediation\.bodies/,
    );
  });

  it('adding mediation leaves every other draw of the plan as it was', () => {
    const { mediation: _m, sectorFigures: _s, ...without } = medical;
    const plain = planSimulation(without);
    const mediated = planSimulation(medical);
    const arrival = (c: (typeof plain.cases)[number]) => [c.steps[0]!.at, c.community, c.category, c.channel, c.kept];
    expect(mediated.cases.map(arrival)).toEqual(plain.cases.map(arrival));
    expect(mediated.cases.every((c) => c.mediation?.body === 'mediation-city-medical-dispute')).toBe(true);
    expect(plain.cases.some((c) => c.mediation)).toBe(false);
  });

  it('keeps every mediation step inside its window and in order', () => {
    const plan = planSimulation(loadPreset('traffic-mediation'));
    for (const c of plan.cases) {
      const m = c.mediation!;
      const kinds = c.steps.map((s) => s.kind);
      const first = kinds.indexOf('refer-mediation');
      expect(first).toBeGreaterThan(0);
      // Referred at intake: nobody signed off before; by the holder: after its sign-off.
      expect(kinds.slice(0, first).includes('sign-off')).toBe(!m.atIntake);
      for (let i = 1; i < c.steps.length; i++) expect(c.steps[i]!.at).toBeGreaterThan(c.steps[i - 1]!.at);
      if (m.outcome?.result === 'agreement') {
        const outcome = c.steps.find((s) => s.kind === 'mediation-outcome')!;
        const fulfilment = c.steps.find((s) => s.kind === 'mediation-fulfilment')!;
        expect(fulfilment.at).toBeLessThan(Date.parse(`${outcome.dueBy}T23:59:59+08:00`));
      }
      if (m.outcome) expect(c.steps.filter((s) => s.kind === 'mediation-session').length).toBe(m.sessions);
    }
  });
});
