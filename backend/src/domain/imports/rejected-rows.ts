import type { Db } from '../../platform/prisma';
import { notFound } from '../../platform/app-error';
import { toCsvLine } from './csv-source';
import { ZStoredCsvPlan } from './import-options';

// The rejected rows of an import as a CSV file: the row number, the reason, then the row itself
// under the file's own header, so the file can be fixed and uploaded again. Read page by page.

const PAGE = 5000;

export async function openRejectedRowsCsv(db: Db, portalId: string, importId: string): Promise<{ fileName: string; lines: AsyncGenerator<string> }> {
  const imp = await db.import.findFirst({ where: { id: importId, portalId }, select: { id: true, columnMapping: true, fileName: true } });
  if (!imp) throw notFound('import');
  const plan = ZStoredCsvPlan.safeParse(imp.columnMapping);
  const header = ['row', 'reason', ...(plan.success ? plan.data.header : ['raw'])];
  const base = (imp.fileName ?? 'import').replace(/\.csv$/i, '').replace(/[^\w.-]+/g, '_').slice(0, 100);
  async function* lines(): AsyncGenerator<string> {
    yield `${toCsvLine(header)}\r\n`;
    let after: { rowNumber: number; id: bigint } | null = null;
    for (;;) {
      const rows: Array<{ id: bigint; rowNumber: number; reason: string; raw: string }> = await db.importRejectedRow.findMany({
        where: {
          importId,
          portalId,
          ...(after ? { OR: [{ rowNumber: { gt: after.rowNumber } }, { rowNumber: after.rowNumber, id: { gt: after.id } }] } : {}),
        },
        orderBy: [{ rowNumber: 'asc' }, { id: 'asc' }],
        take: PAGE,
        select: { id: true, rowNumber: true, reason: true, raw: true },
      });
      if (rows.length === 0) return;
      // CSV rows carry their original cells; other sources' raw text goes in one quoted column.
      yield rows.map((r) => `${r.rowNumber},${toCsvLine([r.reason])},${plan.success ? r.raw : toCsvLine([r.raw])}\r\n`).join('');
      const last = rows[rows.length - 1]!;
      after = { rowNumber: last.rowNumber, id: last.id };
      if (rows.length < PAGE) return;
    }
  }
  return { fileName: `${base}-rejected.csv`, lines: lines() };
}
