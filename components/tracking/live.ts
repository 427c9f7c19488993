// How often a tracking view refreshes itself while its tab is visible: every 2 s while a run it
// shows is RUNNING (its curves grow as the notebook logs them), else every 15 s (new runs appear).
// A finished run's page does not refresh.
export const LIVE_MS = 2_000;
export const IDLE_MS = 15_000;

type WithStatus = { info: { status: string } };

export const anyRunning = (runs: WithStatus[] | undefined) => runs?.some((r) => r.info.status === "RUNNING") ?? false;

/** For a list of runs (react-query `refetchInterval`). */
export const listRefresh = (runs: WithStatus[] | undefined) => (anyRunning(runs) ? LIVE_MS : IDLE_MS);

/** For one run's page. */
export const runRefresh = (run: WithStatus | undefined) => (run?.info.status === "RUNNING" ? LIVE_MS : false);
