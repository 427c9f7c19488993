// Metric rows go in with one INSERT … SELECT over a single JSON parameter, an array of
// [runId, key, value, isNan, step, timestamp]: the database parses it natively, where binding six
// parameters per row made Prisma's per-argument work dominate (1,000 rows: SQLite ~32 → ~13 ms,
// PostgreSQL ~100 → ~34 ms, bench/README). Doubles arrive exactly: JSON.stringify writes the
// shortest round-trip form, which PostgreSQL's float8 input and SQLite's (3.53 here) read back
// correctly rounded; tests/integration/tracking-metric-insert checks it. Rows get ids in array
// order, so equal (step, timestamp) points keep the order they were logged in.
import type { Db } from "@/lib/server/db";

export interface MetricRow {
  runId: string;
  key: string;
  /** null for NaN (isNan); ±infinity already mapped to the sentinel (values.ts). */
  value: number | null;
  isNan: boolean;
  step: number;
  timestamp: number;
}

type RawExecutor = Pick<Db, "$executeRaw">;

/** The idempotency record of a client's batch id (LogBatchReceipt). */
export interface BatchReceipt {
  id: string;
  runId: string;
  userId: string;
}

/** One statement (atomic on its own); `provider` is the dialect of `db`, which may be a transaction. */
export async function insertMetricRows(db: RawExecutor, provider: "sqlite" | "postgresql", rows: MetricRow[]): Promise<void> {
  if (!rows.length) return;
  const json = JSON.stringify(rows.map((r) => [r.runId, r.key, r.value, r.isNan, r.step, r.timestamp]));
  if (provider === "postgresql")
    await db.$executeRaw`INSERT INTO "Metric" ("runId", "key", "value", "isNan", "step", "timestamp")
      SELECT e->>0, e->>1, (e->>2)::float8, (e->>3)::boolean, (e->>4)::bigint, (e->>5)::bigint
      FROM json_array_elements(${json}::json) WITH ORDINALITY AS j(e, i) ORDER BY j.i`;
  else
    await db.$executeRaw`INSERT INTO "Metric" ("runId", "key", "value", "isNan", "step", "timestamp")
      SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5
      FROM json_each(${json}) AS j ORDER BY j.key`;
}

/**
 * PostgreSQL: a batch's receipt and its rows (all of `receipt.runId`) in one statement, so one
 * round trip and one commit (an interactive transaction costs BEGIN, a statement each and
 * COMMIT, every one a round trip). The rows go in only when the receipt did: data-modifying
 * CTEs all run, in one snapshot, and the statement is atomic; a receipt already there, or
 * committed meanwhile by a concurrent retry (ON CONFLICT waits for it), inserts nothing.
 * The run id is one parameter and isNan is `value IS NULL` (MetricRow's invariant), not
 * repeated per element: every `->>` on a json element re-reads its text, and 1,000 run ids made
 * a third of the statement's time. True when applied.
 */
export async function insertMetricRowsOnce(db: Pick<Db, "$queryRaw">, receipt: BatchReceipt, rows: MetricRow[]): Promise<boolean> {
  const json = JSON.stringify(rows.map((r) => [r.key, r.value, r.step, r.timestamp]));
  const [row] = await db.$queryRaw<{ applied: boolean }[]>`WITH r AS (
      INSERT INTO "LogBatchReceipt" ("id", "runId", "userId") VALUES (${receipt.id}, ${receipt.runId}, ${receipt.userId})
      ON CONFLICT ("id") DO NOTHING RETURNING 1
    ), m AS (
      INSERT INTO "Metric" ("runId", "key", "value", "isNan", "step", "timestamp")
      SELECT ${receipt.runId}, e->>0, v::float8, v IS NULL, (e->>2)::bigint, (e->>3)::bigint
      FROM json_array_elements(${json}::json) WITH ORDINALITY AS j(e, i), LATERAL (SELECT e->>1) AS x(v)
      WHERE EXISTS (SELECT 1 FROM r) ORDER BY j.i
    )
    SELECT EXISTS (SELECT 1 FROM r) AS applied`;
  return row.applied === true;
}
