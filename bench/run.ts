import { spawnSync } from 'node:child_process';

/**
 * `npm run bench`: every benchmark, one after another (they share the machine's two cores, so
 * never at once); each writes its own section of bench/results.md. Run one alone with its own
 * script and arguments, e.g. `npm run bench:runtime -- --cases 1000`.
 */
const benchmarks = ['bench:calendar', 'bench:cold-start', 'bench:load', 'bench:runtime', 'bench:report', 'bench:board'];
for (const script of benchmarks) {
  console.log(`\n== npm run ${script}`);
  const result = spawnSync('npm', ['run', '-s', script], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
