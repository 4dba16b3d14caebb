// A cold Kysely: it builds and compiles queries, it never connects.
//
// Both dialects use the Postgres adapter and a query compiler that lays the
// SQL out one clause per line, CTE bodies indented, so `kpic compile` prints
// something a reader can follow. Identifiers go through Kysely's quoting
// (`"` doubled) and literals through its escaping (`'` doubled; a backslash
// is an ordinary character in DuckDB and in standard-conforming Postgres).

import {
  DummyDriver,
  Kysely,
  ParensNode,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SetOperationNode,
  type CommonTableExpressionNode,
  type CompiledQuery,
  type SelectQueryNode,
  type SetOperationNode as SetOperationNodeType,
  type WithNode,
} from 'kysely';

/** Lays a SELECT out one clause per line; everything else compiles as Postgres does. */
class ReadableQueryCompiler extends PostgresQueryCompiler {
  #depth = 0;

  protected override visitSelectQuery(node: SelectQueryNode): void {
    const parent = this.parentNode;
    const nested = parent !== undefined && !ParensNode.is(parent) && !SetOperationNode.is(parent);
    if (nested) {
      this.append('(');
      this.#depth++;
      this.#newline();
    }
    if (node.with) {
      this.visitNode(node.with);
      this.#newline();
    }
    this.append('select');
    if (node.frontModifiers?.length) {
      this.append(' ');
      this.compileList(node.frontModifiers, ' ');
    }
    if (node.selections) {
      this.#depth++;
      node.selections.forEach((selection, i) => {
        this.#newline();
        this.visitNode(selection);
        if (i < node.selections!.length - 1) this.append(',');
      });
      this.#depth--;
    }
    for (const clause of [node.from, ...(node.joins ?? []), node.where, node.groupBy, node.having]) {
      if (!clause) continue;
      this.#newline();
      this.visitNode(clause);
    }
    for (const operation of node.setOperations ?? []) {
      this.#newline();
      this.visitNode(operation);
    }
    for (const clause of [node.orderBy, node.limit, node.offset]) {
      if (!clause) continue;
      this.#newline();
      this.visitNode(clause);
    }
    if (nested) {
      this.#depth--;
      this.#newline();
      this.append(')');
    }
  }

  protected override visitSetOperation(node: SetOperationNodeType): void {
    this.append(node.operator);
    if (node.all) this.append(' all');
    this.#newline();
    this.visitNode(node.expression);
  }

  protected override visitWith(node: WithNode): void {
    this.append('with');
    node.expressions.forEach((cte, i) => {
      this.#newline();
      this.visitNode(cte);
      if (i < node.expressions.length - 1) this.append(',');
    });
  }

  protected override visitCommonTableExpression(node: CommonTableExpressionNode): void {
    this.visitNode(node.name);
    this.append(' as ');
    this.visitNode(node.expression);
  }

  #newline(): void {
    this.append(`\n${'  '.repeat(this.#depth)}`);
  }
}

/** The cold Kysely instance every emitter builds with. `any`: table names are only known at run time. */
export type Db = Kysely<any>;

export const db: Db = new Kysely({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new ReadableQueryCompiler(),
  },
});

/** The SQL text of a compiled query; it must carry no parameters (every literal is inlined). */
export function sqlText(compiled: CompiledQuery): string {
  if (compiled.parameters.length > 0) {
    throw new Error(`compiler bug: ${compiled.parameters.length} SQL parameter(s) left in a compile-only query`);
  }
  return compiled.sql;
}
