// Drift alerts reach the model's owner (issue 13 point 5): the recorder raises an alert once per
// episode (a feature crossing the alert level, not again until it is back under the warning
// level: lib/serving/monitoring/drift-check.ts), and each raised alert becomes a notification of
// the owner (lib/server/services/notifications) linking to the endpoint page. Two instances
// raising the same episode add one notification while it is unread (notify's subject rule); with
// REDIS_URL drift is measured over every instance's traffic, every instance raises the episode,
// and only the one that claims it in Redis notifies (`claim`: ./shared-metrics.ts claimAlert), so
// the owner gets one notification even after reading the first.
import type { Db } from "@/lib/server/db";
import { processWide } from "@/lib/server/process-wide";
import { notify } from "@/lib/server/services/notifications/notifications";
import type { TrafficRecorder } from "@/lib/serving/monitoring/recorder";
import type { DriftAlert } from "@/lib/serving/monitoring/drift-check";

/** `<ownerId>/<name>#<version>` (monitoring.ts monitorKey) read back; null for anything else. */
export function parseMonitorKey(key: string): { ownerId: string; name: string; version: number } | null {
  const slash = key.indexOf("/");
  const hash = key.lastIndexOf("#");
  if (slash <= 0 || hash <= slash + 1) return null;
  const version = Number(key.slice(hash + 1));
  if (!Number.isSafeInteger(version) || version < 1) return null;
  return { ownerId: key.slice(0, slash), name: key.slice(slash + 1, hash), version };
}

const KEYS_MAX = 10_000;
/** The database of the requests that fed each key (one per process, several in tests). */
const dbOfKey = (): Map<string, Db> => processWide("servingMonitorDbs", () => new Map());

export function rememberKeyDb(key: string, db: Db): void {
  const m = dbOfKey();
  if (m.size >= KEYS_MAX && !m.has(key)) m.clear();
  m.set(key, db);
}

export const driftSubject = (name: string, version: number, feature: string) => `drift:${name}#${version}:${feature}`;

/** The notification one raised alert makes (null: the key is not a model version's). */
export function driftNotification(key: string, alert: DriftAlert) {
  const ref = parseMonitorKey(key);
  if (!ref) return null;
  return {
    userId: ref.ownerId,
    kind: "driftAlert" as const,
    subject: driftSubject(ref.name, ref.version, alert.feature),
    data: { model: ref.name, version: ref.version, feature: alert.feature, psi: Math.round(alert.psi * 1000) / 1000, ksPValue: alert.ksPValue },
    href: `/models/${encodeURIComponent(ref.name)}`,
    now: new Date(alert.raisedAt),
  };
}

/**
 * Every alert `monitor` raises is written to its owner's notifications, in the database the key's
 * requests came from. Never waits and never throws into the recorder; returns the removal.
 */
export function notifyDriftAlerts(
  monitor: TrafficRecorder,
  dbOf: (key: string) => Db | undefined = (key) => dbOfKey().get(key),
  onWritten?: (id: number | null) => void,
  claim?: (key: string, alert: DriftAlert) => Promise<boolean>,
): () => void {
  return monitor.onAlert((key, alert) => {
    const db = dbOf(key);
    const n = driftNotification(key, alert);
    if (!db || !n) return;
    (claim ? claim(key, alert) : Promise.resolve(true)).then((mine) => (mine ? notify(db, n) : null)).then(
      (id) => onWritten?.(id),
      () => onWritten?.(null), // a notification lost to a database error never fails a prediction
    );
  });
}
