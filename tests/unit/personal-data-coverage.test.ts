import fs from 'node:fs';
import path from 'node:path';
import { NOT_PERSONAL, PERSONAL_DATA, PERSONAL_TABLES, erasureData } from '../../backend/src/domain/privacy/personal-data';

// Every column of every table in prisma/schema.prisma is either personal data (listed, with how it
// is erased) or named not personal with a reason: a new column, or a new table, fails here until
// someone decides which it is.

function schemaColumns(): Map<string, string[]> {
  const text = fs.readFileSync(path.join(__dirname, '../../prisma/schema.prisma'), 'utf8');
  const blocks = [...text.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)];
  const models = new Set(blocks.map((b) => b[1]!));
  const out = new Map<string, string[]>();
  for (const [, name, body] of blocks) {
    const cols: string[] = [];
    for (const line of body!.split('\n')) {
      const m = /^\s+(\w+)\s+(\w+)(\[\])?\??/.exec(line);
      if (!m || line.trim().startsWith('@@') || line.trim().startsWith('//')) continue;
      if (models.has(m[2]!)) continue; // a relation, not a column
      cols.push(m[1]!);
    }
    out.set(name!, cols);
  }
  return out;
}

describe('personal data list', () => {
  const schema = schemaColumns();

  it('reads the schema (sanity: the parser finds known columns and skips relations)', () => {
    expect(schema.get('Contact')).toEqual(expect.arrayContaining(['phone', 'email', 'properties']));
    expect(schema.get('Contact')).not.toContain('calls');
    expect(schema.size).toBeGreaterThanOrEqual(20);
  });

  it('classifies every column of every table exactly once', () => {
    const personal = new Set(PERSONAL_DATA.map((c) => `${c.table}.${c.column}`));
    const notPersonal = new Set(Object.entries(NOT_PERSONAL).flatMap(([t, v]) => v.columns.map((c) => `${t}.${c}`)));
    const both = [...personal].filter((c) => notPersonal.has(c));
    expect(both).toEqual([]);
    const unclassified: string[] = [];
    for (const [table, cols] of schema) for (const c of cols) if (!personal.has(`${table}.${c}`) && !notPersonal.has(`${table}.${c}`)) unclassified.push(`${table}.${c}`);
    expect(unclassified).toEqual([]);
    // Nothing listed that the schema does not have (a renamed column must be renamed here too).
    const existing = new Set([...schema].flatMap(([t, cols]) => cols.map((c) => `${t}.${c}`)));
    expect([...personal, ...notPersonal].filter((c) => !existing.has(c))).toEqual([]);
  });

  it('names a way to erase every personal column, and a reason for each one kept', () => {
    for (const t of PERSONAL_TABLES) expect(PERSONAL_DATA.some((c) => c.table === t)).toBe(true);
    for (const c of PERSONAL_DATA) {
      if ('keep' in c.erase) expect(c.erase.keep.length).toBeGreaterThan(20);
      expect(c.holds.length).toBeGreaterThan(3);
    }
    expect(erasureData('Contact', 'abc')).toMatchObject({ phone: 'erased:abc', email: null, properties: {} });
    expect(() => erasureData('Contact')).toThrow(/row by row/);
  });
});
