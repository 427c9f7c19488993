// Harness page script: exposes a KernelClient on window for run.mjs to drive.
import { KernelClient } from "@/lib/kernel/client";

const kernel = new KernelClient({
  createWorker: () => new Worker("/kernel-worker.js", { type: "module" }),
  storage: null,
});
(window as unknown as { kernel: KernelClient }).kernel = kernel;
(window as unknown as { runCell: unknown }).runCell = async (cellId: string, source: string, kind = "code") => {
  const h = kernel.run(cellId, source, kind as "code");
  const events: unknown[] = [];
  for await (const e of h.events) events.push(e);
  return events;
};
