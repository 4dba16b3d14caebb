// Engine values to plain JavaScript, exactly.
//
// Numbers that a JavaScript double cannot hold exactly never become one:
// 64- and 128-bit integers stay `bigint`, decimals stay decimal text. Dates
// and timestamps become the text DuckDB itself prints, so a value reads the
// same in every output format and in every time zone of the user's machine.

import { DuckDBDateValue, DuckDBTypeId } from '@duckdb/node-api';
import type { DuckDBValue } from '@duckdb/node-api';

/** A result value: BIGINT -> bigint, DOUBLE -> number, DECIMAL -> exact decimal text, DATE -> `YYYY-MM-DD`, TIMESTAMP -> `YYYY-MM-DD HH:MM:SS[.ffffff]`. */
export type Value = null | boolean | number | bigint | string;

/** Convert one engine value of a column whose type is `typeId`. */
export function convertValue(value: DuckDBValue, typeId: DuckDBTypeId): Value {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
    case 'bigint':
    case 'string':
      return value;
    case 'number':
      return typeId === DuckDBTypeId.FLOAT ? shortestFloat32(value) : value;
    default:
      return convertObject(value, typeId);
  }
}

function convertObject(value: object, typeId: DuckDBTypeId): Value {
  if (typeId === DuckDBTypeId.DATE && value instanceof DuckDBDateValue && !value.isFinite) {
    return value.days > 0 ? 'infinity' : '-infinity';
  }
  // DECIMAL, DATE, TIMESTAMP*, TIME, INTERVAL, UUID, lists, structs: DuckDB's
  // own text, which for DECIMAL keeps every digit of the scale.
  return String(value);
}

/**
 * A FLOAT (32-bit) widened to a double prints as 0.10000000149011612; the
 * user stored 0.1. Give the shortest decimal that reads back as the same
 * 32-bit value.
 */
function shortestFloat32(value: number): number {
  if (!Number.isFinite(value)) return value;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}
