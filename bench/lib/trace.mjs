// A Chrome trace around one step of a browser bench: the events of `categories` recorded while
// `fn` runs (CDP Tracing, reported as they come), for the benches to sum by thread and event.

/** Runs `fn` under a trace of `categories`; its result and every trace event. */
export async function recordTrace(cdp, categories, fn) {
  const events = [];
  const onData = (e) => events.push(...e.value);
  cdp.on("Tracing.dataCollected", onData);
  const complete = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
  await cdp.send("Tracing.start", { categories, transferMode: "ReportEvents" });
  try {
    const result = await fn();
    return { result, events };
  } finally {
    await cdp.send("Tracing.end");
    await complete;
    cdp.off("Tracing.dataCollected", onData);
  }
}

/** "pid:tid" → the thread's name, from the trace's metadata events. */
export function threadNames(events) {
  return new Map(events.filter((e) => e.ph === "M" && e.name === "thread_name").map((e) => [`${e.pid}:${e.tid}`, e.args?.name ?? ""]));
}

/** The trace categories that record Chrome's EventLatency slices (with "benchmark" alone, few others come along). */
export const EVENT_LATENCY_CATEGORIES = "benchmark";

/**
 * Each key press's latency (ms) as Chrome measures it for its own input metrics: an EventLatency
 * slice, from the input event's creation to the presentation of the frame that shows its effect,
 * with microsecond precision (Event Timing's durations are rounded to 8 ms). Only key presses that
 * led to a presented frame (a display_trace_id) count; the count of the others is returned too.
 * `stages` holds, per presented key, Chrome's stages of that slice (its nested slices with the same
 * id: e.g. RendererMainProcessing, BeginImplFrameToSendBeginMainFrame, SubmitCompositorFrameTo…)
 * as { name: ms }, the deepest level only where stages nest.
 */
export function keyPressLatencies(events) {
  const begins = new Map();
  const stageSlices = new Map();
  const keys = [];
  let unpresented = 0;
  for (const e of events) {
    if (e.cat !== undefined && !String(e.cat).includes("benchmark")) continue;
    const id = `${e.pid}:${e.id2?.local ?? e.id2?.global ?? e.id}`;
    if (e.name !== "EventLatency") {
      // A stage: an async slice nested in an EventLatency with the same id.
      if (e.ph !== "b" && e.ph !== "e") continue;
      const open = stageSlices.get(id) ?? [];
      stageSlices.set(id, open);
      if (e.ph === "b") open.push({ name: e.name, ts: e.ts, end: null });
      else {
        const s = [...open].reverse().find((x) => x.name === e.name && x.end === null);
        if (s) s.end = e.ts;
      }
      continue;
    }
    if (e.ph === "b") {
      begins.set(id, e);
      stageSlices.set(id, []);
    } else if (e.ph === "e" && begins.has(id)) {
      const b = begins.get(id);
      begins.delete(id);
      const slices = stageSlices.get(id) ?? [];
      stageSlices.delete(id);
      const info = b.args?.event_latency ?? {};
      if (info.event_type !== "KEY_PRESSED") continue;
      if (info.display_trace_id === undefined) unpresented++;
      else {
        const processing = slices.find((x) => x.name === "RendererMainProcessing" && x.end !== null) ?? null;
        const handled = processing?.end ?? null;
        keys.push({
          at: b.ts,
          ms: (e.ts - b.ts) / 1000,
          handledMs: handled === null ? null : (handled - b.ts) / 1000,
          ...(processing === null ? { workMs: null, workCpuMs: null } : mainThreadWork(events, b.pid, processing)),
          stages: leafStages(slices),
          frame: keyFrame(events, b.pid, handled, e.ts),
        });
      }
    }
  }
  // In the order the keys were pressed.
  keys.sort((x, y) => x.at - y.at);
  return { latencies: keys.map((l) => l.ms), stages: keys.map((l) => l.stages), handled: keys.map((l) => l.handledMs), work: keys.map((l) => l.workMs), workCpu: keys.map((l) => l.workCpuMs), frames: keys.map((l) => l.frame), unpresented };
}

/**
 * A key's work on the page's main thread: its processing there (the EventLatency stage
 * RendererMainProcessing: its event handlers, the browser's editing) plus the main frame that
 * followed it (ProxyMain::BeginMainFrame: animation-frame callbacks — Monaco renders there —,
 * style, layout, paint, commit). Under one frame, the key does not make the page drop one (the
 * sense of a long animation frame); the display's refresh phase is not in it. `workMs` in wall
 * time; `workCpuMs` in the thread's CPU time (the tasks that ran during the processing, and the
 * main frame): on a machine whose cores are shared, wall time also counts the thread waiting for
 * a core (the browser's other processes, the server, the bench itself).
 */
function mainThreadWork(events, pid, processing) {
  const index = frameIndex(events);
  const frame = (index.mainFrames.get(pid) ?? []).find((f) => f.ts >= processing.end);
  const tasks = frame ? (index.mainTasks.get(`${pid}:${frame.tid}`) ?? []) : [];
  const during = tasks.filter((t) => t.ts < processing.end && t.ts + t.dur > processing.ts && !(t.ts <= frame.ts && frame.ts < t.ts + t.dur));
  return {
    workMs: (processing.end - processing.ts + (frame ? frame.dur : 0)) / 1000,
    workCpuMs: frame ? (during.reduce((a, t) => a + t.tdur, 0) + frame.tdur) / 1000 : null,
  };
}

/**
 * How a key's frame came, from the page having handled the key (`handled`: the end of its
 * RendererMainProcessing stage) to the frame presented at `presentedAt`:
 *  - waitMs: from `handled` to the vsync of the first frame the renderer's compositor began after
 *    it (0 when the presenting frame had begun before: the key joined it) — the display's refresh
 *    phase, which no page controls;
 *  - missed: frames begun after `handled`, before the one that showed the key, that did not show
 *    it (0 when the first frame that could carry the key did).
 * null when the trace lacks what it takes (no main-thread stage, no frame reporter ending then).
 */
function keyFrame(events, pid, handled, presentedAt) {
  if (handled === null) return null;
  const index = frameIndex(events);
  const presenting = index.presentedAt.get(`${pid}:${presentedAt}`);
  if (presenting === undefined) return null;
  const frames = index.beginFrames.get(pid) ?? [];
  const own = frames.find((f) => f.seq === presenting);
  const after = frames.filter((f) => f.ts > handled);
  const missed = after.filter((f) => f.seq < presenting).length;
  if (!own || own.ts <= handled || after.length === 0) return { waitMs: 0, missed };
  // The first frame after the key: its vsync time when that came after the key (a regular tick),
  // else when the compositor began it (a frame delivered late, on demand).
  const first = after[0];
  const start = first.frameTime >= handled ? first.frameTime : first.ts;
  return { waitMs: Math.max(0, start - handled) / 1000, missed };
}

/**
 * Per trace, per renderer process: the compositor's frames begun (when, sequence, vsync time), the
 * main frames and the main thread's tasks (wall and CPU time), and which frame was presented when.
 */
const frameIndexes = new WeakMap();
function frameIndex(events) {
  let index = frameIndexes.get(events);
  if (index) return index;
  const beginFrames = new Map();
  const mainFrames = new Map();
  const mainTasks = new Map();
  const presentedAt = new Map();
  const reporters = new Map();
  const add = (map, key, value) => {
    if (!map.has(key)) map.set(key, []);
    map.get(key).push(value);
  };
  for (const e of events) {
    if (e.ph === "X" && e.name === "Scheduler::BeginImplFrame") {
      const seq = e.args?.args?.sequence_number;
      if (typeof seq === "number") add(beginFrames, e.pid, { ts: e.ts, seq, frameTime: e.args.args.frame_time_us ?? e.ts });
    } else if (e.ph === "X" && e.name === "ProxyMain::BeginMainFrame") {
      add(mainFrames, e.pid, { ts: e.ts, dur: e.dur ?? 0, tdur: e.tdur ?? e.dur ?? 0, tid: e.tid });
    } else if (e.ph === "X" && e.name === "ThreadControllerImpl::RunTask" && typeof e.tdur === "number") {
      add(mainTasks, `${e.pid}:${e.tid}`, { ts: e.ts, dur: e.dur ?? 0, tdur: e.tdur });
    } else if (e.name === "PipelineReporter" && (e.ph === "b" || e.ph === "e")) {
      // A frame's reporter: begins at its frame time, ends when it is presented (or dropped); they
      // end in the order they began.
      const open = reporters.get(e.pid) ?? [];
      reporters.set(e.pid, open);
      if (e.ph === "b") open.push(e.args?.frame_reporter ?? {});
      else {
        const r = open.shift();
        if (r && String(r.state).startsWith("STATE_PRESENTED")) presentedAt.set(`${e.pid}:${e.ts}`, r.frame_sequence);
      }
    }
  }
  for (const list of [...beginFrames.values(), ...mainFrames.values()]) list.sort((a, b) => a.ts - b.ts);
  index = { beginFrames, mainFrames, mainTasks, presentedAt };
  frameIndexes.set(events, index);
  return index;
}

/** The slices that contain no other slice, as { name: ms } (a name seen twice adds up). */
function leafStages(slices) {
  const done = slices.filter((s) => s.end !== null);
  const out = {};
  for (const s of done) {
    const hasChild = done.some((c) => c !== s && c.ts >= s.ts && c.end <= s.end && (c.ts > s.ts || c.end < s.end));
    if (!hasChild) out[s.name] = (out[s.name] ?? 0) + (s.end - s.ts) / 1000;
  }
  return out;
}

/** Several `keyPressLatencies` results as one (the keys of several typing runs or fields, in order). */
export function mergeKeyLatencies(list) {
  const cat = (k) => list.flatMap((r) => r[k]);
  return { latencies: cat("latencies"), stages: cat("stages"), handled: cat("handled"), work: cat("work"), workCpu: cat("workCpu"), frames: cat("frames"), unpresented: list.reduce((a, r) => a + r.unpresented, 0) };
}

/**
 * Each key's cost in frames: its press → presented frame less the wait between the page having
 * handled it and the vsync of the compositor's next frame (`keyFrame`) — i.e. the key's handling
 * plus the frame that showed it, counted from that frame's start. A key under one frame here was
 * handled and shown within one refresh interval; the raw latency adds where in the interval the key
 * happened to arrive (0–16.7 ms at 60 Hz, which no page controls: a bare text area has it too).
 * A frame that began after the key and did not show it stays in the cost, and is counted in
 * `missed` (keys shown later than the first frame that could carry them). `unknown`: keys whose
 * frame the trace could not tell (their cost is their whole latency).
 */
export function keyCosts({ latencies, frames }) {
  const cost = latencies.map((ms, i) => ms - (frames?.[i]?.waitMs ?? 0));
  const missed = (frames ?? []).filter((f) => f && f.missed > 0).length;
  const unknown = latencies.length - (frames ?? []).filter(Boolean).length;
  return { cost, missed, unknown };
}

/**
 * A set of keys in four lines: their main-thread work, the raw latency to the screen, the part of it
 * until the page had handled the key, and the latency less the wait for the next frame's vsync.
 */
export function describeKeyLatencies(keys) {
  const { cost, missed, unknown } = keyCosts(keys);
  const handled = keys.handled.filter((x) => x !== null);
  const work = keys.work.filter((x) => x !== null);
  const cpu = keys.workCpu.filter((x) => x !== null);
  const over = (xs) => `${xs.filter((x) => x >= FRAME_MS).length} of ${xs.length} over one frame (${FRAME_MS} ms)`;
  return [
    `main-thread work of each key (its handling + the main frame after it), CPU: p50 ${quantileMs(cpu, 0.5)}, p99 ${quantileMs(cpu, 0.99)}, max ${quantileMs(cpu, 1)}, ${over(cpu)}; wall: p50 ${quantileMs(work, 0.5)}, p99 ${quantileMs(work, 0.99)}, max ${quantileMs(work, 1)}, ${over(work)}`,
    `key press → presented frame (EventLatency): ${describeLatencies(keys.latencies, keys.unpresented)}`,
    `  of which pressed → handled by the page: p50 ${quantileMs(handled, 0.5)}, p99 ${quantileMs(handled, 0.99)}, max ${quantileMs(handled, 1)}`,
    `less the wait for the next frame's vsync (the key's handling + the frame that showed it): ${describeLatencies(cost)}; keys shown after a frame that could have carried them: ${missed}${unknown ? `; frame unknown for ${unknown}` : ""}`,
  ];
}

/** The q-quantile of `xs` (ms) as text ("n/a" for none); q = 1 is the maximum. */
function quantileMs(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? `${s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))].toFixed(1)} ms` : "n/a";
}

/**
 * The mean of each EventLatency stage (ms) over the keys within one frame and over the keys past
 * it (less the wait for the refresh), one line per stage, largest difference first: where a slow
 * key's time went.
 */
export function describeStages(keys) {
  const groups = { fast: [], slow: [] };
  const { cost } = keyCosts(keys);
  cost.forEach((ms, i) => groups[ms < FRAME_MS ? "fast" : "slow"].push(keys.stages[i] ?? {}));
  const names = [...new Set(keys.stages.flatMap((s) => Object.keys(s ?? {})))];
  const mean = (g, n) => (g.length ? g.reduce((a, s) => a + (s[n] ?? 0), 0) / g.length : 0);
  return names
    .map((n) => ({ n, fast: mean(groups.fast, n), slow: mean(groups.slow, n) }))
    .sort((a, b) => b.slow - b.fast - (a.slow - a.fast))
    .map((r) => `${r.n.padEnd(52)} within a frame ${r.fast.toFixed(2).padStart(6)} ms   past it ${r.slow.toFixed(2).padStart(6)} ms`)
    .concat(`(${groups.fast.length} keys within a frame, ${groups.slow.length} past it)`);
}

/** One frame at 60 Hz (ms). */
export const FRAME_MS = 16.7;

/**
 * Key latencies (ms) in one line: p50 / p95 / p99 / max, the share within one frame (and within
 * two), and how many keys reached a frame — the same figure in every bench that times keys.
 */
export function describeLatencies(latencies, unpresented = 0) {
  const within = (limit) => `${((latencies.filter((x) => x < limit).length / Math.max(1, latencies.length)) * 100).toFixed(1)} %`;
  return `p50 ${quantileMs(latencies, 0.5)}, p95 ${quantileMs(latencies, 0.95)}, p99 ${quantileMs(latencies, 0.99)}, max ${quantileMs(latencies, 1)}; ${within(FRAME_MS)} within one frame (${FRAME_MS} ms), ${within(2 * FRAME_MS)} within two (${latencies.length} presented, ${unpresented} without a frame)`;
}
