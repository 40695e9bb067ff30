import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { join } from 'node:path';

/**
 * bench/results.md holds one section per benchmark, between markers, so each benchmark
 * rewrites only its own results; every section says on which machine and when it ran.
 */
export const RESULTS_FILE = join(__dirname, 'results.md');

export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()}, Node ${process.version}`;
}

export function writeSection(name: string, body: string): void {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const section = `${start}\n${body.trim()}\n\n_Machine: ${machineLine()}. Date: ${new Date().toISOString().slice(0, 10)}._\n${end}`;
  let text = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, 'utf8') : '# Benchmark results\n\nWritten by `npm run bench`; each section is replaced when its benchmark runs again.\n';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  text = from >= 0 && to > from ? text.slice(0, from) + section + text.slice(to + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(RESULTS_FILE, text);
}

/** Samples the process's peak resident and heap memory while a measured step runs. */
export function memoryPeak(): { stop(): { rssMiB: number; heapMiB: number } } {
  let rss = process.memoryUsage().rss;
  let heap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const usage = process.memoryUsage();
    rss = Math.max(rss, usage.rss);
    heap = Math.max(heap, usage.heapUsed);
  }, 50);
  return {
    stop: () => {
      clearInterval(timer);
      return { rssMiB: rss / 2 ** 20, heapMiB: heap / 2 ** 20 };
    },
  };
}
