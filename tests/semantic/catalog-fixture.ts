// Hand-built catalogs for the semantic tests.

import type { Catalog, CatalogEntry, ScalarType } from '../../compiler/semantic/catalog.ts';
import { catalogFromEntries } from '../../compiler/semantic/catalog.ts';

const SQL: Record<ScalarType, string> = {
  integer: 'BIGINT',
  decimal: 'DECIMAL(18,2)',
  float: 'DOUBLE',
  text: 'VARCHAR',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  interval: 'INTERVAL',
  null: 'NULL',
  unknown: 'BLOB',
};

/** `catalogOf({ 'file:data/x.csv': { id: 'integer' } })`; a string value is an unreadable relation's message. */
export function catalogOf(tables: Record<string, Record<string, ScalarType> | string>): Catalog {
  const entries = new Map<string, CatalogEntry>();
  for (const [key, columns] of Object.entries(tables)) {
    entries.set(
      key,
      typeof columns === 'string'
        ? { ok: false, message: columns }
        : { ok: true, columns: Object.entries(columns).map(([name, type]) => ({ name, type, sqlType: SQL[type] })) },
    );
  }
  return catalogFromEntries(entries);
}

/** The data of the language's complete example. */
export const EXAMPLE_CATALOG = catalogOf({
  'file:data/customers.csv': { customer_id: 'integer', signup_date: 'date', tier: 'text', region: 'text' },
  'file:data/surveys.csv': {
    response_id: 'integer',
    customer_id: 'integer',
    responded_at: 'timestamp',
    nps: 'integer',
  },
  'file:data/subscriptions.parquet': {
    subscription_id: 'integer',
    customer_id: 'integer',
    started_at: 'date',
    ended_at: 'date',
    renewed: 'boolean',
  },
  'file:data/orders.csv': {
    order_id: 'integer',
    customer_id: 'integer',
    ordered_at: 'timestamp',
    amount: 'decimal',
    status: 'text',
  },
});
