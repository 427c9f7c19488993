"use client";
// Renders a cell's outputs (MIME bundles from the kernel). The richest type the page knows wins:
// Vega-Lite chart, Cuaderno table, tensor view, PNG, sanitized HTML, markdown, JSON, text.
import { useVegaEmbed } from "@/components/ui/vega-chart";
import { useTranslations } from "next-intl";
import { memo, useEffect, useRef, useState } from "react";
import type { CellOutput, MimeBundle, TableView, TensorView } from "@/lib/notebook/types";
import { renderMarkdownSafe, sanitizeHtml } from "./sanitize";

const VEGA = "application/vnd.vegalite.v5+json";
const TABLE = "application/vnd.cuaderno.table+json";
const TENSOR = "application/vnd.cuaderno.tensor+json";

export const Outputs = memo(function Outputs({ outputs }: { outputs: CellOutput[] }) {
  if (outputs.length === 0) return null;
  return (
    <div data-testid="cell-output" className="flex flex-col gap-2 border-t border-stone-100 px-3 py-2 text-sm">
      {outputs.map((o, i) => (
        <OutputItem key={o.type === "display" && o.displayId ? `d:${o.displayId}` : i} output={o} />
      ))}
    </div>
  );
});

function OutputItem({ output }: { output: CellOutput }) {
  const t = useTranslations("notebook");
  switch (output.type) {
    case "stream":
      return (
        <pre data-output="stream" className={`whitespace-pre-wrap break-words font-mono text-[12.5px] ${output.name === "stderr" ? "text-amber-800" : "text-stone-800"}`}>
          {output.text}
        </pre>
      );
    case "error":
      return (
        <div data-output="error" role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 font-mono text-[12.5px] text-red-800">
          <div className="font-semibold">
            {output.name}: {output.message}
          </div>
          {output.line != null && !/\(line \d+/.test(output.message) && (
            <div className="mt-0.5 text-red-700" data-testid="error-line">
              {t("output.atLine", { line: output.line })}
            </div>
          )}
        </div>
      );
    default:
      return <Bundle data={output.data} />;
  }
}

function Bundle({ data }: { data: MimeBundle }) {
  if (data[VEGA]) return <VegaChart spec={data[VEGA] as Record<string, unknown>} />;
  if (data[TABLE]) return <TableOutput view={data[TABLE] as TableView} />;
  if (data[TENSOR]) return <TensorOutput view={data[TENSOR] as TensorView} />;
  if (typeof data["image/png"] === "string")
    // eslint-disable-next-line @next/next/no-img-element
    return <img data-output="image" alt="" className="max-w-full [image-rendering:pixelated]" src={`data:image/png;base64,${data["image/png"]}`} />;
  if (typeof data["text/html"] === "string") return <SafeHtml html={data["text/html"]} />;
  if (typeof data["text/markdown"] === "string") return <SafeHtml markdown={data["text/markdown"]} />;
  if (data["application/json"] !== undefined)
    return <pre data-output="json" className="whitespace-pre-wrap break-words font-mono text-[12.5px]">{JSON.stringify(data["application/json"], null, 2)}</pre>;
  if (typeof data["text/plain"] === "string")
    return <pre data-output="text" className="whitespace-pre-wrap break-words font-mono text-[12.5px]">{data["text/plain"]}</pre>;
  return null;
}

function SafeHtml({ html, markdown }: { html?: string; markdown?: string }) {
  const [safe, setSafe] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    (markdown !== undefined ? renderMarkdownSafe(markdown) : sanitizeHtml(html ?? "")).then((s) => live && setSafe(s));
    return () => {
      live = false;
    };
  }, [html, markdown]);
  if (safe === null) return <div className="h-5" />;
  return <div data-output="html" className="prose-cuaderno max-w-none overflow-x-auto" dangerouslySetInnerHTML={{ __html: safe }} />;
}

function VegaChart({ spec }: { spec: Record<string, unknown> }) {
  const { ref: el, error } = useVegaEmbed(spec);
  return (
    <div data-output="chart" className="overflow-x-auto">
      <div ref={el} />
      {error && <div className="text-xs text-red-700">{error}</div>}
    </div>
  );
}

function formatCell(v: unknown): string {
  if (v === null || v === undefined) return "∅";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(+v.toPrecision(6));
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function TableOutput({ view }: { view: TableView }) {
  const t = useTranslations("notebook");
  const pageSize = view.pageSize ?? 10;
  const pages = Math.max(1, Math.ceil(view.rows.length / pageSize));
  const [page, setPage] = useState(0);
  const p = Math.min(page, pages - 1);
  const rows = view.rows.slice(p * pageSize, (p + 1) * pageSize);
  return (
    <div data-output="table" className="max-w-full">
      {view.title && <div className="mb-1 font-semibold">{view.title}</div>}
      <div className="overflow-x-auto">
        <table className="border-collapse font-mono text-[12.5px]">
          <thead>
            <tr>
              {view.columns.map((c) => (
                <th key={c} className="border-b border-stone-300 px-2 py-1 text-left font-semibold">{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i} className="odd:bg-stone-50">
                {r.map((v, j) => (
                  <td key={j} className={`px-2 py-0.5 ${typeof v === "number" ? "text-right" : ""}`}>{formatCell(v)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="mt-1 flex items-center gap-2 text-xs text-stone-600">
        <span data-testid="table-rows">{t("output.rows", { count: view.rows.length })}</span>
        {pages > 1 && (
          <>
            <button type="button" className="rounded px-1.5 hover:bg-stone-200 disabled:opacity-40" disabled={p === 0} onClick={() => setPage(p - 1)} aria-label={t("output.prevPage")}>‹</button>
            <span>{t("output.page", { page: p + 1, pages })}</span>
            <button type="button" className="rounded px-1.5 hover:bg-stone-200 disabled:opacity-40" disabled={p >= pages - 1} onClick={() => setPage(p + 1)} aria-label={t("output.nextPage")}>›</button>
          </>
        )}
      </div>
    </div>
  );
}

function TensorOutput({ view }: { view: TensorView }) {
  const t = useTranslations("notebook");
  const shown = view.values.slice(0, 60).map((v) => formatCell(v));
  return (
    <div data-output="tensor" className="font-mono text-[12.5px]">
      <div className="text-stone-600">
        {t("output.tensor", { shape: `[${view.shape.join(", ")}]`, dtype: view.dtype })}
        {view.stats && ` · min ${formatCell(view.stats.min)} · max ${formatCell(view.stats.max)} · mean ${formatCell(view.stats.mean)}`}
      </div>
      <div className="mt-0.5 break-words">
        [{shown.join(", ")}
        {view.values.length > 60 || view.truncated ? ", …" : ""}]
      </div>
    </div>
  );
}
