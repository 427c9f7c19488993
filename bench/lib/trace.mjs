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
