import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGRAM_END, DIAGRAM_START } from '../../../statemachines/render-diagram';

/*
 * The README is where a newcomer starts: the two commands first, what the system is, a walk
 * through with curl, and a map of docs/. Everything else lives in docs/, so the README stays
 * short enough to read in a few minutes.
 */
const ROOT = join(__dirname, '..', '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README.md', () => {
  it('is under 12 KiB', () => {
    expect(Buffer.byteLength(readme, 'utf8')).toBeLessThan(12 * 1024);
  });

  it('opens, right under its title, with the two commands in one code block, each with its comment', () => {
    const [title, blank, fence, start, test, close] = readme.split('\n');
    expect(title).toMatch(/^# \S/);
    expect(blank).toBe('');
    expect(fence).toBe('```sh');
    expect(start).toMatch(/^npm ci && npm start +# \S/);
    expect(test).toMatch(/^npm ci && npm test +# \S/);
    expect(close).toBe('```');
  });

  it('says what the system is, then walks through it with curl, then maps the docs', () => {
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['What the system does', 'A five-minute walk-through with curl', 'Documentation']);
    const walk = readme.split('## A five-minute walk-through with curl')[1].split('\n## ')[0];
    expect(walk).toContain('curl -s -X POST $API/v1/cases');
    expect(walk).toContain('npm run -s token');
  });

  it('maps every document in docs/, SECURITY.md and the operations guide', () => {
    const map = readme.split('## Documentation')[1];
    const documents = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
    for (const target of [...documents, 'docs/operations.md', 'SECURITY.md']) expect(map).toContain(`](${target})`);
  });

  it('leaves the workflow diagram to docs/workflow.md, its only place', () => {
    expect(readme).not.toContain(DIAGRAM_START);
    const workflow = readFileSync(join(ROOT, 'docs', 'workflow.md'), 'utf8');
    expect(workflow.split(DIAGRAM_START)).toHaveLength(2);
    expect(workflow.split(DIAGRAM_END)).toHaveLength(2);
    expect(existsSync(join(ROOT, 'docs', 'workflow.md'))).toBe(true);
  });
});
