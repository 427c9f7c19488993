// How often a tracking view refreshes itself while its tab is visible: every 2 s while a run it
// shows is RUNNING (its curves grow as the notebook logs them), else every 15 s (new runs appear).
// A finished run's page does not refresh. Both are react-query `refetchInterval` functions.
export const LIVE_MS = 2_000;
export const IDLE_MS = 15_000;

type WithStatus = { info: { status: string } };
type QueryOf<T> = { state: { data?: T } };

/** For a list of runs (`data.rows`). */
export const listRefresh = (q: QueryOf<{ rows: WithStatus[] }>) => (q.state.data?.rows.some((r) => r.info.status === "RUNNING") ? LIVE_MS : IDLE_MS);

/** For one run's page. */
export const runRefresh = (q: QueryOf<WithStatus>) => (q.state.data?.info.status === "RUNNING" ? LIVE_MS : false);
