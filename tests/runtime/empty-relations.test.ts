// `kpic check` prepares each KPI's SQL against empty relations of the
// described columns and types instead of the files. The binder must answer
// the same: every statement here is prepared both ways on the real engine.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyFileRelations, withEmptyRelations } from '../../runtime/project/empty-relations.ts';
import { openProject } from '../../runtime/project/open.ts';
import type { Project } from '../../runtime/project/open.ts';
import { makeTempDir } from './helpers.ts';

const MODEL = `
customer customers from "customers.csv" {
  key customer_id
  dimension tier
  measure customer_count = count()
}
`;

let temp: ReturnType<typeof makeTempDir>;
let project: Project;

beforeAll(async () => {
  temp = makeTempDir();
  writeFileSync(join(temp.dir, 'kpic.yaml'), 'name: t\nmetrics: ["*.kpi"]\ndata:\n  root: .\n');
  writeFileSync(join(temp.dir, 'model.kpi'), MODEL);
  writeFileSync(
    join(temp.dir, 'customers.csv'),
    'customer_id,tier,"odd ""name""",signed_up\n1,gold,x,2024-01-02\n2,silver,y,2024-02-03\n',
  );
  project = await openProject({ projectDir: temp.dir });
});

afterAll(async () => {
  await project?.close();
  temp?.cleanup();
});

describe('empty relations for check', () => {
  it('stand for each file relation with its described columns and types', () => {
    const empties = emptyFileRelations(project.model, project.dataRoot);
    // The reader as the query writes it: with the dialect detected when the file was described (csv-dialect.ts).
    expect([...empties.keys()]).toEqual([
      `read_csv('${project.dataRoot}/customers.csv', delim = ',', quote = '"', escape = '"', header = true)`,
    ]);
    expect([...empties.values()][0]).toBe(
      '(select cast(null as BIGINT) as "customer_id", cast(null as VARCHAR) as "tier", cast(null as VARCHAR) as "odd ""name""", cast(null as DATE) as "signed_up" where false)',
    );
  });

  it('the binder accepts and refuses the same statements as on the file', async () => {
    const empties = emptyFileRelations(project.model, project.dataRoot);
    const from = `read_csv('${project.dataRoot}/customers.csv', delim = ',', quote = '"', escape = '"', header = true)`;
    const statements = [
      `select tier, count(*) from ${from} group by tier`,
      `select sum(tier) from ${from}`,
      `select signed_up + interval 1 day, "odd ""name""" from ${from}`,
      `select no_such_column from ${from}`,
      `select customer_id from ${from} where signed_up > 'not a date'`,
      `select lower(customer_id), signed_up - tier from ${from}`,
    ];
    const onFile = await Promise.all(statements.map((s) => project.engine.validate(s)));
    const onEmpty = await Promise.all(statements.map((s) => project.engine.validate(withEmptyRelations(s, empties))));
    // Three statements are refused on the file itself (the defence must not hide them) ...
    expect(onFile.map((p) => p !== undefined)).toEqual([false, true, false, true, false, true]);
    // ... and the empty relations give the same verdict for each.
    expect(onEmpty.map((p) => p !== undefined)).toEqual(onFile.map((p) => p !== undefined));
  });
});
