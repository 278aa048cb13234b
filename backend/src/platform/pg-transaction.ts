import type { ClientBase } from 'pg';

/**
 * Runs `work` in one transaction on a plain `pg` connection: committed when it returns, rolled
 * back when it throws (the rollback's own failure, on a connection already lost, is not the error
 * worth reporting).
 */
export async function inPgTransaction<T>(client: ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
