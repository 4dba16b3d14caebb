// The saas example on PostgreSQL: load its CSV files into tables of a schema
// and write a copy of the project whose sources read those tables.
//
//   KPIC_LOAD_URL=postgres://owner@host:5432/db npx node examples/saas/postgres.ts ../saas-on-postgres
//
// KPIC_LOAD_URL is a role that may create the schema (`saas`, dropped and
// recreated); kpic itself then connects with a read-only role through
// KPIC_DATABASE_URL (docs/postgres.md). The column types are those DuckDB
// infers from the CSV files, so both engines see the same data.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { csvFiles, loadCsvs, postgresCopy } from '../../tests/support/postgres.ts';

const out = process.argv[2];
const url = process.env['KPIC_LOAD_URL'];
if (!out || !url) {
  console.error('usage: KPIC_LOAD_URL=postgres://owner@host:port/db npx node examples/saas/postgres.ts OUT_DIR');
  process.exit(2);
}
const root = resolve(out);
if (existsSync(root)) {
  console.error(`${root} exists; give a new folder`);
  process.exit(2);
}
const repo = resolve(import.meta.dirname, '../..');
await loadCsvs('saas', csvFiles(repo, 'saas'), url);
const project = postgresCopy(repo, 'saas', 'saas', { root, urlEnv: 'KPIC_DATABASE_URL' });
console.log(`loaded examples/saas/data into schema saas; project written to ${project}`);
console.log(
  `next: export KPIC_DATABASE_URL=postgres://kpic_reader:...@host:port/db   (a read-only role, docs/postgres.md)`,
);
console.log(`      npx kpic check --project ${project} && npx kpic run --project ${project} nps --by tier`);
