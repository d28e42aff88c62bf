import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` on one connection taken from the pool, and gives the connection back afterwards.
 *
 * Why not `pool.connect()` alone: pg's pool listens for a connection's 'error' only while the connection
 * is idle in the pool; it takes that listener off while the connection is checked out. If PostgreSQL drops
 * the connection between two queries of a transaction (a restart, a failover), the client then emits
 * 'error' with no listener, and Node ends the whole process on it. Here the error is held while the work
 * runs (its next query fails on the dead connection anyway) and the broken connection is destroyed on
 * release instead of going back to the pool.
 */
export async function withCheckedOutClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const holdError = (error: Error) => {
    lost = error;
  };
  client.on('error', holdError);
  try {
    return await work(client);
  } finally {
    client.off('error', holdError);
    client.release(lost);
  }
}
