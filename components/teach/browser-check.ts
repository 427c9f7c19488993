"use client";
// The lesson check's kernel part in the author's browser: a fresh kernel worker (the one students
// run) behind lib/teach/kernel-check's one-method interface, disposed afterwards.
import { KernelClient } from "@/lib/kernel/client";
import type { NotebookDocument } from "@/lib/notebook/types";
import type { LessonLocale } from "@/lib/teach/bundle";
import type { CheckProblem } from "@/lib/teach/check";
import { kernelCheck } from "@/lib/teach/kernel-check";

export async function browserKernelCheck(doc: NotebookDocument, locale: LessonLocale, onCell: (index: number, total: number) => void): Promise<CheckProblem[]> {
  const client = new KernelClient();
  try {
    await client.ready;
    return await kernelCheck(
      doc,
      locale,
      {
        async run(cell) {
          const errors: string[] = [];
          const handle = client.run(cell.id, cell.source, cell.kind, {
            ...(cell.check !== undefined ? { check: cell.check } : {}),
            onEvent: (e) => {
              if (e.type === "error") errors.push(e.message);
            },
          });
          const done = await handle.done;
          return { status: done.status, ...(done.check ? { check: done.check } : {}), error: errors.join(" | ") };
        },
      },
      { onCell: (_id, i, n) => onCell(i, n) },
    );
  } finally {
    client.dispose();
  }
}
