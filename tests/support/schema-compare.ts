import fs from 'node:fs';
import path from 'node:path';
import type { Client } from 'pg';

// Compares Prisma's own reading of schema.prisma (the DMMF from @prisma/prisma-schema-wasm,
// the same parser the CLI uses) with what the migrations actually built in Postgres: tables,
// columns (type, nullability, arrays), enums, primary keys, unique and plain indexes, both ways.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wasm = require('@prisma/prisma-schema-wasm') as { get_dmmf(params: string): string };

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  nativeType?: [string, string[]] | null;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  fields: { name: string }[];
}
interface Dmmf {
  datamodel: { models: DmmfModel[]; enums: { name: string; values: { name: string }[] }[]; indexes: DmmfIndex[] };
}

export function readDmmf(schemaPath = path.resolve(__dirname, '../../prisma/schema.prisma')): Dmmf {
  const schema = fs.readFileSync(schemaPath, 'utf8');
  return JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', schema]] })));
}

function expectedType(f: DmmfField): string {
  if (f.kind === 'enum') return f.type;
  const native = f.nativeType?.[0];
  if (native) {
    const map: Record<string, string> = {
      Uuid: 'uuid', VarChar: 'varchar', Char: 'bpchar', Text: 'text', Decimal: 'numeric', Money: 'money',
      Timestamptz: 'timestamptz', Timestamp: 'timestamp', Date: 'date', Time: 'time', Timetz: 'timetz',
      SmallInt: 'int2', Integer: 'int4', BigInt: 'int8', Real: 'float4', DoublePrecision: 'float8',
      JsonB: 'jsonb', Json: 'json', Boolean: 'bool', ByteA: 'bytea', Inet: 'inet', Xml: 'xml',
    };
    if (map[native]) return map[native];
  }
  const map: Record<string, string> = { String: 'text', Int: 'int4', BigInt: 'int8', Float: 'float8', Boolean: 'bool', DateTime: 'timestamp', Json: 'jsonb', Decimal: 'numeric', Bytes: 'bytea' };
  return map[f.type] ?? `?${f.type}`;
}

export async function compareSchemaToDatabase(client: Client, dmmf = readDmmf()): Promise<string[]> {
  const problems: string[] = [];
  const cols = await client.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string }>(
    `SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  const idx = await client.query<{ table_name: string; index_name: string; is_unique: boolean; is_primary: boolean; columns: string[] }>(
    `SELECT t.relname::text AS table_name, i.relname::text AS index_name, ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
            array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_index ix
       JOIN pg_class i ON i.oid = ix.indexrelid
       JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
       CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      GROUP BY t.relname, i.relname, ix.indisunique, ix.indisprimary`,
  );
  const enums = await client.query<{ name: string; values: string[] }>(
    `SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
  );

  const tables = new Map<string, Map<string, { udt: string; nullable: boolean }>>();
  for (const c of cols.rows) {
    if (c.table_name === '_prisma_migrations') continue;
    if (!tables.has(c.table_name)) tables.set(c.table_name, new Map());
    tables.get(c.table_name)!.set(c.column_name, { udt: c.udt_name, nullable: c.is_nullable === 'YES' });
  }
  const modelTable = new Map(dmmf.datamodel.models.map((m) => [m.name, m.dbName ?? m.name]));

  for (const model of dmmf.datamodel.models) {
    const table = model.dbName ?? model.name;
    const dbCols = tables.get(table);
    if (!dbCols) {
      problems.push(`table ${table} (model ${model.name}) is missing from the database`);
      continue;
    }
    const scalar = model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');
    for (const f of scalar) {
      const col = f.dbName ?? f.name;
      const actual = dbCols.get(col);
      if (!actual) {
        problems.push(`column ${table}.${col} is missing`);
        continue;
      }
      const want = (f.isList ? '_' : '') + expectedType(f);
      if (actual.udt !== want) problems.push(`column ${table}.${col} has type ${actual.udt}, schema says ${want}`);
      // Prisma Migrate creates scalar-list columns nullable (the client treats NULL as []).
      const wantNullable = f.isList ? true : !f.isRequired;
      if (actual.nullable !== wantNullable) problems.push(`column ${table}.${col} nullable=${actual.nullable}, schema says ${wantNullable}`);
    }
    const known = new Set(scalar.map((f) => f.dbName ?? f.name));
    for (const col of dbCols.keys()) if (!known.has(col)) problems.push(`column ${table}.${col} exists in the database but not in the schema`);
  }
  for (const table of tables.keys()) {
    if (![...modelTable.values()].includes(table)) problems.push(`table ${table} exists in the database but not in the schema`);
  }

  // Indexes: every schema index must exist with the same columns and kind, and no extra ones.
  const colName = (model: string, field: string) => {
    const m = dmmf.datamodel.models.find((x) => x.name === model);
    const f = m?.fields.find((x) => x.name === field);
    return f?.dbName ?? field;
  };
  const dbIndexes = idx.rows.filter((r) => r.table_name !== '_prisma_migrations');
  const matched = new Set<string>();
  for (const i of dmmf.datamodel.indexes) {
    if (i.type === 'fulltext') continue;
    const table = modelTable.get(i.model)!;
    const columns = i.fields.map((f) => colName(i.model, f.name));
    const hit = dbIndexes.find(
      (r) =>
        r.table_name === table &&
        r.columns.join(',') === columns.join(',') &&
        (i.type === 'id' ? r.is_primary : i.type === 'unique' ? r.is_unique && !r.is_primary : !r.is_unique),
    );
    if (!hit) problems.push(`${i.type} index on ${table}(${columns.join(', ')}) is missing`);
    else matched.add(hit.index_name);
  }
  for (const r of dbIndexes) if (!matched.has(r.index_name)) problems.push(`index ${r.index_name} on ${r.table_name}(${r.columns.join(', ')}) is not in the schema`);

  for (const e of dmmf.datamodel.enums) {
    const actual = enums.rows.find((r) => r.name === e.name);
    const want = e.values.map((v) => v.name).join(',');
    if (!actual) problems.push(`enum ${e.name} is missing`);
    else if (actual.values.join(',') !== want) problems.push(`enum ${e.name} has values ${actual.values.join(',')}, schema says ${want}`);
  }
  return problems;
}
