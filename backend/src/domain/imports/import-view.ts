import type { Import } from '../../generated/prisma/client';
import { ZStoredCsvPlan } from './import-options';

// The API's picture of an import: status, counts while it runs, and where to get rejected rows.

export interface ImportView {
  id: string;
  source: string;
  status: string;
  fileName: string | null;
  mode: string;
  defaultRegion: string | null;
  columns: Array<{ header: string; field: string }> | null;
  counts: { rowsRead: number; created: number; updated: number; unchanged: number; duplicate: number; rejected: number };
  bytes: { read: number; total: number | null };
  progress: number | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  rejectedRowsUrl: string;
}

function columnsOf(mapping: unknown): ImportView['columns'] {
  const parsed = ZStoredCsvPlan.safeParse(mapping);
  if (!parsed.success) return null;
  const byIndex = new Map<number, string>();
  for (const [field, index] of Object.entries(parsed.data.fields)) byIndex.set(index, field);
  for (const [, index] of parsed.data.properties) byIndex.set(index, 'property');
  return parsed.data.header.map((header, i) => ({ header, field: byIndex.get(i) ?? 'ignore' }));
}

export function toImportView(row: Import): ImportView {
  const total = row.totalBytes === null ? null : Number(row.totalBytes);
  const read = Number(row.bytesRead);
  const done = row.status === 'completed';
  return {
    id: row.id,
    source: row.source,
    status: row.status,
    fileName: row.fileName,
    mode: row.mode,
    defaultRegion: row.defaultRegion,
    columns: columnsOf(row.columnMapping),
    counts: {
      rowsRead: row.rowsRead,
      created: row.created,
      updated: row.updated,
      // keep mode: rows whose contact already existed and was left alone
      unchanged: done ? Math.max(0, row.rowsRead - row.created - row.updated - row.duplicate - row.rejected) : 0,
      duplicate: row.duplicate,
      rejected: row.rejected,
    },
    bytes: { read, total },
    progress: done ? 1 : total ? Math.min(0.99, read / total) : null,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    rejectedRowsUrl: `/api/v1/imports/${row.id}/rejected.csv`,
  };
}
