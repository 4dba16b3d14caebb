// The real metric files of the repository, grouped by project, and
// token-level mutations of them (drop, duplicate, swap, truncate).

import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { globSync } from 'tinyglobby';
import { tokenize } from '../../compiler/syntax/lexer.ts';
import { indexSourceText } from '../../compiler/syntax/source-text.ts';

const REPO = resolve(import.meta.dirname, '../..');

export interface CorpusFile {
  readonly path: string;
  readonly text: string;
}

/** The projects of examples/ and metrics/, each as its `.kpi` files (project-relative paths). */
export function loadCorpus(): CorpusFile[][] {
  const projects = [...globSync('examples/*/', { cwd: REPO, onlyDirectories: true }), 'metrics/'].sort();
  return projects
    .map((project) =>
      globSync('**/*.kpi', { cwd: join(REPO, project) })
        .sort()
        .map((path) => ({ path, text: readFileSync(join(REPO, project, path), 'utf8') })),
    )
    .filter((files) => files.length > 0);
}

/** Every corpus file with its repository path, for file-level properties. */
export function corpusFiles(): CorpusFile[] {
  const out: CorpusFile[] = [];
  for (const project of loadCorpus()) out.push(...project);
  return out;
}

export { REPO, relative };

/** Where each token lies in the text: [start, end) offsets. */
export function tokenRanges(text: string): [number, number][] {
  return tokenize(indexSourceText(text, 'm.kpi')).tokens.map((t) => [t.startOffset, t.startOffset + t.image.length]);
}

export type Mutation =
  | { readonly kind: 'drop'; readonly at: number }
  | { readonly kind: 'duplicate'; readonly at: number }
  | { readonly kind: 'swap'; readonly at: number; readonly with: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string };

/** Apply mutations in order; indexes are taken modulo the current token count (offsets for truncate). */
export function mutate(text: string, mutations: readonly Mutation[]): string {
  let current = text;
  for (const m of mutations) {
    const ranges = tokenRanges(current);
    if (ranges.length === 0) return current;
    const pick = (i: number) => ranges[((i % ranges.length) + ranges.length) % ranges.length]!;
    const [start, end] = pick(m.at);
    switch (m.kind) {
      case 'drop':
        current = current.slice(0, start) + current.slice(end);
        break;
      case 'duplicate':
        current = `${current.slice(0, end)} ${current.slice(start, end)}${current.slice(end)}`;
        break;
      case 'swap': {
        const [s2, e2] = pick(m.with);
        if (s2 === start) break;
        const [a, b] =
          start < s2
            ? [
                [start, end],
                [s2, e2],
              ]
            : [
                [s2, e2],
                [start, end],
              ];
        current =
          current.slice(0, a[0]) +
          current.slice(b[0]!, b[1]) +
          current.slice(a[1], b[0]) +
          current.slice(a[0], a[1]) +
          current.slice(b[1]);
        break;
      }
      case 'truncate':
        current = current.slice(0, m.at % (current.length + 1));
        break;
      case 'insert':
        current = current.slice(0, start) + m.text + current.slice(start);
        break;
    }
  }
  return current;
}
