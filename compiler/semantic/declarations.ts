// Collecting declarations: unique names, exactly one customer entity.

import type { KpiFile, Name } from '../syntax/ast.ts';
import { FILE_START } from '../diagnostics.ts';
import type { ResolveState } from './state.ts';
import { newSourceState } from './state.ts';
import { formatPlace, reportError } from './report.ts';
import { nameKey } from './names.ts';

/**
 * Register every source and KPI of the (path-sorted) files. The first
 * declaration of a name wins; later ones are reported and left out.
 * Sources and KPIs are separate namespaces (a KPI may be named like a measure).
 */
export function collectDeclarations(files: readonly KpiFile[], state: ResolveState): void {
  const places = new Map<string, string>();
  const customers: { key: string; name: Name; file: string }[] = [];
  for (const file of files) {
    for (const declaration of file.declarations ?? []) {
      if (!declaration?.name?.text) continue;
      const name = declaration.name;
      const key = nameKey(name.text);
      const kind = declaration.kind === 'kpi' ? 'KPI' : 'source';
      const table: Map<string, unknown> = declaration.kind === 'kpi' ? state.kpis : state.sources;
      const placeKey = `${kind}:${key}`;
      const first = places.get(placeKey);
      if (first !== undefined) {
        reportDuplicate(state, kind, name, file.path, first);
        continue;
      }
      places.set(placeKey, formatPlace(file.path, name.span));
      if (declaration.kind === 'kpi') {
        state.kpis.set(key, { key, decl: declaration, file: file.path });
        continue;
      }
      table.set(key, newSourceState(key, declaration, file.path));
      if (declaration.isCustomer) customers.push({ key, name, file: file.path });
    }
  }
  checkCustomer(files, state, customers);
}

/** `duplicate-name` at the later declaration, naming the first one's place. */
export function reportDuplicate(state: ResolveState, kind: string, name: Name, file: string, firstPlace: string): void {
  reportError(
    state.sink,
    'duplicate-name',
    file,
    name.span,
    `the ${kind} \`${name.text}\` is already declared at ${firstPlace}; ${kind} names are unique across the project (compared without regard to case).`,
    {
      help: `rename one of them`,
      notes: [`first declared here: ${firstPlace}`, `declared again here: ${formatPlace(file, name.span)}`],
    },
  );
}

function checkCustomer(
  files: readonly KpiFile[],
  state: ResolveState,
  customers: readonly { key: string; name: Name; file: string }[],
): void {
  const [first, ...others] = customers;
  if (!first) {
    reportError(
      state.sink,
      'missing-customer',
      files[0]?.path ?? 'kpic.yaml',
      FILE_START,
      'the project declares no customer entity; every KPI must reach the customer, so exactly one `customer` declaration is required.',
      {
        help: 'declare it, e.g. `customer customers from "data/customers.csv" { key customer_id }`, or derive it from a fact source: `customer customers from orders { key customer_id }`',
      },
    );
    return;
  }
  state.customer = first.key;
  const firstPlace = formatPlace(first.file, first.name.span);
  for (const other of others) {
    reportError(
      state.sink,
      'duplicate-customer',
      other.file,
      other.name.span,
      `\`${other.name.text}\` is a second customer entity; \`${first.name.text}\` (${firstPlace}) is already the customer, and a project has exactly one.`,
      {
        help: `declare \`${other.name.text}\` with \`source\` and link it to \`${first.name.text}\``,
        notes: [`the customer entity: ${firstPlace}`],
      },
    );
  }
}
