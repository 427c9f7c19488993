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
 */
export function keyPressLatencies(events) {
  const begins = new Map();
  const latencies = [];
  let unpresented = 0;
  for (const e of events) {
    if (e.name !== "EventLatency") continue;
    const id = `${e.pid}:${e.id2?.local ?? e.id2?.global ?? e.id}`;
    if (e.ph === "b") begins.set(id, e);
    else if (e.ph === "e" && begins.has(id)) {
      const b = begins.get(id);
      begins.delete(id);
      const info = b.args?.event_latency ?? {};
      if (info.event_type !== "KEY_PRESSED") continue;
      if (info.display_trace_id === undefined) unpresented++;
      else latencies.push({ at: b.ts, ms: (e.ts - b.ts) / 1000 });
    }
  }
  // In the order the keys were pressed.
  latencies.sort((x, y) => x.at - y.at);
  return { latencies: latencies.map((l) => l.ms), unpresented };
}

/** One frame at 60 Hz (ms). */
export const FRAME_MS = 16.7;

/**
 * Key latencies (ms) in one line: p50 / p95 / p99 / max, the share within one frame (and within
 * two), and how many keys reached a frame — the same figure in every bench that times keys.
 */
export function describeLatencies(latencies, unpresented = 0) {
  const s = [...latencies].sort((a, b) => a - b);
  const at = (q) => (s.length ? `${s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))].toFixed(1)} ms` : "n/a");
  const within = (limit) => `${((s.filter((x) => x < limit).length / Math.max(1, s.length)) * 100).toFixed(1)} %`;
  return `p50 ${at(0.5)}, p95 ${at(0.95)}, p99 ${at(0.99)}, max ${at(1)}; ${within(FRAME_MS)} within one frame (${FRAME_MS} ms), ${within(2 * FRAME_MS)} within two (${s.length} presented, ${unpresented} without a frame)`;
}
