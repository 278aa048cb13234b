import type { Db } from '../../platform/prisma';
import { notFound } from '../../platform/app-error';

// The first rejected rows of an import, for the upload page to show under the counts (the full
// list stays a CSV download on the API). Scoped by portal: another portal's import is a 404.
export async function firstRejectedRows(db: Db, portalId: string, importId: string, limit = 100) {
  const found = await db.import.findFirst({ where: { id: importId, portalId }, select: { id: true, rejected: true } });
  if (!found) throw notFound('import');
  const rows = await db.importRejectedRow.findMany({
    where: { importId, portalId },
    orderBy: { rowNumber: 'asc' },
    take: limit,
    select: { rowNumber: true, reason: true },
  });
  return { total: found.rejected, rows };
}
