// A small layout algebra for the formatter.
//
// A document is text with places where it may break: a `group` prints on
// one line when that line fits in the width, otherwise every `line` directly
// in it becomes a line break (nested groups decide again on their own). An
// `indent` sets how far the lines it breaks are indented. A `fill` breaks
// only where the next part would not fit. The result depends on the
// document and the width only, so printing is deterministic.

export type Doc = string | readonly Doc[] | Line | Group | Indent | Fill;

interface Line {
  readonly kind: 'line';
  /** A soft line prints nothing when flat; a plain one prints a space. */
  readonly soft: boolean;
}

interface Group {
  readonly kind: 'group';
  readonly doc: Doc;
}

interface Indent {
  readonly kind: 'indent';
  readonly doc: Doc;
}

/** Parts joined by `separator` and a line, breaking only before a part that would not fit. */
interface Fill {
  readonly kind: 'fill';
  readonly parts: readonly Doc[];
  readonly separator: string;
}

/** A space, or a line break when its group does not fit. */
export const line: Doc = { kind: 'line', soft: false };
/** Nothing, or a line break when its group does not fit. */
export const softline: Doc = { kind: 'line', soft: true };

/** Breaks the lines directly inside `doc` only when `doc` does not fit on the line. */
export function group(doc: Doc): Doc {
  return { kind: 'group', doc };
}

/** Lines broken inside `doc` are indented two more spaces. */
export function indent(doc: Doc): Doc {
  return { kind: 'indent', doc };
}

/** `a, b, c`, wrapped before a part that would go past the width. */
export function fill(parts: readonly Doc[], separator: string): Doc {
  return { kind: 'fill', parts, separator };
}

/** `parts` with `separator` between them. */
export function join(parts: readonly Doc[], separator: Doc): Doc[] {
  return parts.flatMap((part, index) => (index === 0 ? [part] : [separator, part]));
}

type Mode = 'flat' | 'break';

/** What is left to print: a document, or the rest of a fill from `next` on. */
type Work = { readonly indent: number; readonly mode: Mode } & (
  | { readonly kind: 'doc'; readonly doc: Doc }
  | { readonly kind: 'fill-rest'; readonly fill: Fill; readonly next: number }
);

/**
 * Prints `doc` starting at column `indent` (the first line's indentation is
 * the caller's to write) in lines of at most `width` columns where the
 * document allows. Broken lines are indented from `indent`.
 */
export function renderDoc(doc: Doc, width: number, indent: number): string {
  let out = '';
  let column = indent;
  const stack: Work[] = [{ kind: 'doc', indent, mode: 'break', doc }];
  while (stack.length > 0) {
    const work = stack.pop()!;
    if (work.kind === 'fill-rest') {
      const { fill: f, next } = work;
      if (next >= f.parts.length) continue;
      const part = f.parts[next]!;
      if (next + 1 < f.parts.length)
        stack.push({ kind: 'fill-rest', indent: work.indent, mode: work.mode, fill: f, next: next + 1 });
      const flat = [f.separator, ' ', part];
      if (
        work.mode === 'flat' ||
        fits({ kind: 'doc', indent: work.indent, mode: 'flat', doc: flat }, [], width - column)
      ) {
        stack.push({ kind: 'doc', indent: work.indent, mode: 'flat', doc: flat });
      } else {
        out += `${f.separator}\n${' '.repeat(work.indent)}`;
        column = work.indent;
        stack.push({
          kind: 'doc',
          indent: work.indent,
          mode: modeFor(part, work.indent, stack, width - column),
          doc: part,
        });
      }
      continue;
    }
    const { doc, mode } = work;
    if (typeof doc === 'string') {
      out += doc;
      column += doc.length;
    } else if (isDocs(doc)) {
      for (let i = doc.length - 1; i >= 0; i--) stack.push({ kind: 'doc', indent: work.indent, mode, doc: doc[i]! });
    } else if (doc.kind === 'line') {
      if (mode === 'flat') {
        if (!doc.soft) {
          out += ' ';
          column += 1;
        }
      } else {
        out += `\n${' '.repeat(work.indent)}`;
        column = work.indent;
      }
    } else if (doc.kind === 'indent') {
      stack.push({ kind: 'doc', indent: work.indent + 2, mode, doc: doc.doc });
    } else if (doc.kind === 'group') {
      const inner: Work = { kind: 'doc', indent: work.indent, mode: 'flat', doc: doc.doc };
      stack.push(mode === 'flat' || fits(inner, stack, width - column) ? inner : { ...inner, mode: 'break' });
    } else if (doc.parts.length > 0) {
      stack.push({ kind: 'fill-rest', indent: work.indent, mode, fill: doc, next: 1 });
      const first = doc.parts[0]!;
      stack.push({
        kind: 'doc',
        indent: work.indent,
        mode: mode === 'flat' ? 'flat' : modeFor(first, work.indent, stack, width - column),
        doc: first,
      });
    }
  }
  return out;
}

function modeFor(doc: Doc, indent: number, rest: readonly Work[], remaining: number): Mode {
  return fits({ kind: 'doc', indent, mode: 'flat', doc }, rest, remaining) ? 'flat' : 'break';
}

function isDocs(doc: Doc): doc is readonly Doc[] {
  return Array.isArray(doc);
}

/**
 * Whether `first`, then what follows it up to the next line break the rest
 * may take, fits in `remaining` columns.
 */
function fits(first: Work, rest: readonly Work[], remaining: number): boolean {
  const pending: Work[] = [first];
  let restIndex = rest.length - 1;
  while (remaining >= 0) {
    let work = pending.pop();
    if (work === undefined) {
      if (restIndex < 0) return true;
      work = rest[restIndex--]!;
    }
    if (work.kind === 'fill-rest') {
      if (work.mode === 'break') return true;
      for (let i = work.fill.parts.length - 1; i >= work.next; i--)
        pending.push({ ...work, kind: 'doc', doc: [work.fill.separator, ' ', work.fill.parts[i]!] });
      continue;
    }
    const { doc, mode } = work;
    if (typeof doc === 'string') remaining -= doc.length;
    else if (isDocs(doc)) for (let i = doc.length - 1; i >= 0; i--) pending.push({ ...work, doc: doc[i]! });
    else if (doc.kind === 'line') {
      if (mode === 'break') return true;
      if (!doc.soft) remaining -= 1;
    } else if (doc.kind === 'indent' || doc.kind === 'group') pending.push({ ...work, doc: doc.doc });
    else if (mode === 'flat') pending.push({ ...work, doc: join(doc.parts, [doc.separator, ' ']) });
    // Broken, a fill may break after its first part.
    else if (doc.parts.length > 0)
      pending.push(
        { kind: 'doc', indent: 0, mode: 'break', doc: softline },
        { ...work, doc: [doc.parts[0]!, doc.separator], mode: 'flat' },
      );
  }
  return false;
}
