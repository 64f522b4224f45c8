import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every relative link in README.md and docs/*.md (and model/MODEL.md, which they link to) must reach a file
// of the repository (not one outside it, such as ../shared, nor one git ignores, such as dist/: both exist on a
// developer's machine and are dead links in a fresh clone and on GitHub), and a #fragment a heading of the page
// it names: the README's sections point to the docs/ pages that hold their full text, and those point back, so a
// heading renamed or a page moved must not leave a reader at a dead link.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PAGES = [
  'README.md',
  'model/MODEL.md',
  ...readdirSync(path.join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`),
];

/**
 * Whether git leaves `file` out of the repository (a fresh clone and GitHub do not have it), by .gitignore's
 * patterns as this repository writes them: `folder/` (at any depth) and `*.ext`.
 */
function ignoredByGit(file: string): boolean {
  const parts = path.relative(ROOT, file).split(path.sep);
  return readFileSync(path.join(ROOT, '.gitignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .some((pattern) =>
      pattern.endsWith('/')
        ? parts.includes(pattern.slice(0, -1))
        : pattern.startsWith('*.')
          ? parts.at(-1)!.endsWith(pattern.slice(1))
          : parts.at(-1) === pattern,
    );
}

/** The text outside fenced code blocks and inline code spans, where a link is a link. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const match of withoutFences.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const text = match[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Each relative link of a page: its target as written, the file it names and its #fragment, if any. */
function relativeLinks(page: string): { target: string; file: string; fragment: string | undefined }[] {
  const text = prose(readFileSync(path.join(ROOT, page), 'utf8'));
  const links = [];
  for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [filePart, fragment] = target.split('#', 2) as [string, string | undefined];
    const file = filePart === '' ? path.join(ROOT, page) : path.resolve(path.dirname(path.join(ROOT, page)), filePart);
    links.push({ target, file, fragment });
  }
  return links;
}

describe('relative links in the documentation', () => {
  it('finds the pages to check', () => {
    expect(PAGES).toContain('docs/options.md');
    expect(relativeLinks('README.md').length).toBeGreaterThan(10);
  });

  for (const page of PAGES) {
    it(`${page}: every relative link reaches a file, and every #fragment a heading of it`, () => {
      const broken: string[] = [];
      for (const { target, file, fragment } of relativeLinks(page)) {
        const inRepository = path.relative(ROOT, file);
        if (inRepository.startsWith('..') || path.isAbsolute(inRepository)) {
          broken.push(`${target}: outside the repository (a fresh clone has no ${file})`);
          continue;
        }
        if (!existsSync(file)) {
          broken.push(`${target}: no such file`);
          continue;
        }
        if (ignoredByGit(file)) {
          broken.push(`${target}: a file git does not keep (.gitignore), which a fresh clone does not have`);
          continue;
        }
        if (fragment === undefined) continue;
        if (!file.endsWith('.md') || statSync(file).isDirectory()) {
          broken.push(`${target}: a #fragment on a file that is not a markdown page`);
          continue;
        }
        if (!anchorsOf(readFileSync(file, 'utf8')).has(fragment)) broken.push(`${target}: no heading with that anchor`);
      }
      expect(broken).toEqual([]);
    });
  }

  it('tells the files a fresh clone lacks', () => {
    expect(ignoredByGit(path.join(ROOT, 'dist/bin/cli.js'))).toBe(true);
    expect(ignoredByGit(path.join(ROOT, 'out/reviews.scored.csv.partial'))).toBe(true);
    expect(ignoredByGit(path.join(ROOT, 'docs/options.md'))).toBe(false);
    expect(ignoredByGit(path.join(ROOT, 'src/cli.ts'))).toBe(false);
  });

  it('computes anchors as GitHub does', () => {
    const anchors = anchorsOf('# Exit codes\n## `--rpm`\n### `-o, --output`\n## Exit 0\n## Exit 0\n```\n# not a heading\n```\n');
    expect([...anchors]).toEqual(['exit-codes', '--rpm', '-o---output', 'exit-0', 'exit-0-1']);
  });
});
