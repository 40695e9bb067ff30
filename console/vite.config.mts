import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('./dist', import.meta.url));

/** Issue #6: at most 300 KB of JavaScript, gzipped. tests/browser/bundle-size.test.ts checks it too. */
const JS_BUDGET_BYTES = 300 * 1024;

/** Fails the build when the emitted JavaScript is over budget, and says what it weighs. */
function javascriptBudget(): Plugin {
  return {
    name: 'javascript-budget',
    apply: 'build',
    closeBundle() {
      const files = readdirSync(outDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.js'));
      const gzipped = files.reduce((sum, e) => sum + gzipSync(readFileSync(join(e.parentPath, e.name)), { level: 9 }).length, 0);
      const line = `console JavaScript: ${(gzipped / 1024).toFixed(1)} KB gzipped in ${files.length} files (budget ${JS_BUDGET_BYTES / 1024} KB)`;
      if (gzipped > JS_BUDGET_BYTES) throw new Error(`${line}: over budget`);
      console.log(line);
    },
  };
}

export default defineConfig({
  root,
  // Served under /console/ by the local stack and by CloudFront (objects under console/).
  base: '/console/',
  publicDir: false,
  // Domain modules shared with the functions read process.env for server settings; the browser has none.
  define: { 'process.env': '{}' },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 300,
  },
  plugins: [javascriptBudget()],
});
