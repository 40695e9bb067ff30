import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/*
 * The documentation stands on its own: every relative link in README.md, SECURITY.md and docs/
 * reaches a file in the repository (and, for `#anchors` into markdown, one of its headings), and
 * no tracked file points at a folder outside the repository.
 */
const ROOT = resolve(__dirname, '..', '..', '..');
const DOCUMENTS = ['README.md', 'SECURITY.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Markdown without its fenced code blocks and inline code, where `](` is not a link. */
const prose = (markdown: string) => markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');

/** Links `[text](target)` and images `![alt](target)`, without an optional "title". */
const linksOf = (markdown: string) => [...prose(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);

/** The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    anchors.add(count ? `${slug}-${count}` : slug);
    seen.set(slug, count + 1);
  }
  return anchors;
}

describe('documentation links', () => {
  it.each(DOCUMENTS)('every relative link in %s reaches a file in the repository, and its anchor a heading', (document) => {
    const file = join(ROOT, document);
    const broken: string[] = [];
    for (const link of linksOf(readFileSync(file, 'utf8'))) {
      if (/^(https?|mailto):/.test(link)) continue;
      const [path, anchor] = link.split('#');
      const target = path ? resolve(dirname(file), decodeURI(path)) : file;
      if (relative(ROOT, target).startsWith('..')) {
        broken.push(`${link}: outside the repository`);
        continue;
      }
      if (!existsSync(target)) {
        broken.push(`${link}: no such file`);
        continue;
      }
      if (anchor && target.endsWith('.md') && statSync(target).isFile() && !anchorsOf(readFileSync(target, 'utf8')).has(anchor)) {
        broken.push(`${link}: no heading with that anchor`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('finds the links it checks (the parser is not silently empty)', () => {
    const links = linksOf(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(links).toEqual(expect.arrayContaining(['docs/api.md', 'docs/workflow.md', 'SECURITY.md']));
    expect(anchorsOf('## What `npm start` runs\n## Data model (DynamoDB)\n## A\n## A')).toEqual(new Set(['what-npm-start-runs', 'data-model-dynamodb', 'a', 'a-1']));
  });

  it('no tracked file points at a folder outside the repository', () => {
    // Built from pieces, so that this file does not match itself: a parent folder's shared notes, or a contract file the repository does not have.
    const shared = ['sha', 'red'].join('');
    const outside = new RegExp([`\\.\\./${shared}\\b`, `/work/${shared}`, `\\bcontract\\.md`].join('|'));
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
      .split('\0')
      .filter((f) => f && !/\.(png|jpg|ico|woff2?)$/.test(f) && f !== 'package-lock.json' && existsSync(join(ROOT, f)));
    const offenders = files.filter((f) => outside.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
