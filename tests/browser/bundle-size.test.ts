import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Issue #6: the console ships at most 300 KB of JavaScript, gzipped, and loads nothing from
 * another origin. (The build itself also fails over budget: console/vite.config.mts.)
 */
const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'console', 'dist');
const BUDGET_BYTES = 300 * 1024;

const filesOf = (ext: string) =>
  readdirSync(DIST, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(ext))
    .map((entry) => join(entry.parentPath, entry.name));

beforeAll(() => {
  if (!existsSync(join(DIST, 'index.html'))) execFileSync('npm', ['run', '-s', 'console:build'], { cwd: ROOT, stdio: 'inherit' });
}, 120_000);

test('the console’s JavaScript is within 300 KB gzipped', () => {
  const scripts = filesOf('.js');
  expect(scripts.length).toBeGreaterThan(0);
  const gzipped = scripts.reduce((sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length, 0);
  expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
});

test('the built console refers to no other origin for scripts, styles or fonts', () => {
  for (const file of [...filesOf('.html'), ...filesOf('.css')]) {
    const text = readFileSync(file, 'utf8');
    expect({ file, external: text.match(/(?:src|href)=["']?https?:\/\/|url\(\s*["']?https?:\/\/|@import\s+["']?https?:/g) }).toEqual({ file, external: null });
  }
});
