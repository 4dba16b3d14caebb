// A unified diff of two texts, line by line, for `kpic fmt --check`.
//
// Longest common subsequence over lines; `.kpi` files are small, so the
// quadratic table is cheap. Past a size where it would not be, the whole
// file shows as one replaced hunk (still correct, only less precise).

const CONTEXT = 3;
const MAX_CELLS = 4_000_000;

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string; readonly a: number; readonly b: number };

/** `--- a/PATH` / `+++ b/PATH` and `@@` hunks; empty text when the texts are equal. */
export function unifiedDiff(before: string, after: string, path: string): string {
  if (before === after) return '';
  const ops = diffLines(splitLines(before), splitLines(after));
  const out = [`--- a/${path}`, `+++ b/${path}`];
  for (const hunk of hunksOf(ops)) {
    const first = hunk[0]!;
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    out.push(
      `@@ -${aCount === 0 ? first.a : first.a + 1},${aCount} +${bCount === 0 ? first.b : first.b + 1},${bCount} @@`,
    );
    for (const op of hunk) out.push(`${op.kind}${op.line}`);
  }
  return `${out.join('\n')}\n`;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  if (a.length * b.length > MAX_CELLS) {
    return [
      ...a.map((line, i): Op => ({ kind: '-', line, a: i, b: 0 })),
      ...b.map((line, j): Op => ({ kind: '+', line, a: a.length, b: j })),
    ];
  }
  // lengths[i][j]: the LCS length of a[i..] and b[j..].
  const lengths: Uint32Array[] = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ kind: ' ', line: a[i]!, a: i++, b: j++ });
    else if (i < a.length && (j === b.length || lengths[i + 1]![j]! >= lengths[i]![j + 1]!))
      ops.push({ kind: '-', line: a[i]!, a: i++, b: j });
    else ops.push({ kind: '+', line: b[j]!, a: i, b: j++ });
  }
  return ops;
}

/** Changed lines with up to three lines of context around them; nearby changes share a hunk. */
function hunksOf(ops: readonly Op[]): Op[][] {
  const hunks: Op[][] = [];
  let current: Op[] | undefined;
  let lastChange = -Infinity;
  ops.forEach((op, index) => {
    if (op.kind === ' ') return;
    const start = Math.max(0, index - CONTEXT);
    if (current && start <= lastChange + CONTEXT + 1) {
      current.push(...ops.slice(lastChange + 1, index + 1));
    } else {
      if (current) current.push(...ops.slice(lastChange + 1, Math.min(ops.length, lastChange + 1 + CONTEXT)));
      current = ops.slice(start, index + 1);
      hunks.push(current);
    }
    lastChange = index;
  });
  if (current) current.push(...ops.slice(lastChange + 1, Math.min(ops.length, lastChange + 1 + CONTEXT)));
  return hunks;
}
