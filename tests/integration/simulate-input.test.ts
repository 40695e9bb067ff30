import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadPreset, parseSimulationOptions, presetNames, SimulationInputError } from '../../local/simulate/preset';
import { casesPerMonth, planSimulation } from '../../local/simulate/plan';

/** Bad input to `npm run simulate`: a clear error, and nothing started. */
const parse = (raw: Record<string, string | boolean>) => () => parseSimulationOptions(raw);

describe('simulate: bad input', () => {
  it('refuses an unknown preset, naming the ones there are', () => {
    expect(() => loadPreset('atlantis')).toThrow(SimulationInputError);
    expect(() => loadPreset('atlantis')).toThrow(/Unknown preset "atlantis".*yichang-2011/);
    expect(() => loadPreset('../package')).toThrow(/Unknown preset/);
  });

  it('refuses negative, absurd and non-numeric sizes, and months outside 1–60', () => {
    expect(parse({ preset: 'yichang-2011', cases: '-5' })).toThrow(/--cases must be between 1 and 10,000,000/);
    expect(parse({ preset: 'yichang-2011', cases: '10000001' })).toThrow(/--cases must be between/);
    expect(parse({ preset: 'yichang-2011', cases: '1e3' })).toThrow(/--cases must be a whole number/);
    expect(parse({ preset: 'yichang-2011', months: '0' })).toThrow(/--months must be between 1 and 60/);
    expect(parse({ preset: 'yichang-2011', months: '61' })).toThrow(/--months must be between 1 and 60/);
    expect(parse({ preset: 'yichang-2011', speed: '0' })).toThrow(/--speed/);
    expect(parse({ preset: 'yichang-2011', bogus: '1' })).toThrow(/Unknown option --bogus/);
    expect(parse({})).toThrow(/Name a preset/);
    expect(parseSimulationOptions({ preset: 'yichang-2011', cases: '200', months: '2', add: true })).toMatchObject({ cases: 200, months: 2, add: true, inMemory: false });
  });

  it('the command line says so and exits before starting anything', async () => {
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', join(__dirname, '../../local/simulate/main.ts'), ...args], { env: { ...process.env, PORT: '1' } }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
    const unknown = await run(['--preset', 'atlantis']);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toMatch(/^simulate: Unknown preset "atlantis"/);
    const negative = await run(['--preset', 'yichang-2011', '--cases', '-5']);
    expect(negative.code).toBe(64);
    expect(negative.stderr).toMatch(/--cases must be between 1 and 10,000,000 .*got -5/);
    const months = await run(['--preset', 'yichang-2011', '--months', '99']);
    expect(months.code).toBe(64);
    expect(months.stderr).toMatch(/--months must be between 1 and 60/);
  }, 60_000);

  it('every preset file is valid and plans', () => {
    for (const name of presetNames()) {
      const preset = loadPreset(name);
      expect(planSimulation({ ...preset, cases: Math.min(preset.cases, 500), months: Math.min(preset.months, 2) }).cases.length).toBe(Math.min(preset.cases, 500));
    }
  });

  it('splits intake over the months exactly, growing', () => {
    const counts = casesPerMonth(14_662, 10, 0.08);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(14_662);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThan(counts[i - 1]!);
  });
});
