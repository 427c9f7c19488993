"use client";
// Renders a Vega-Lite spec with the self-hosted vega-embed, loaded only when a chart shows up.
import { useEffect, useRef, useState } from "react";

/** Embeds `spec` into the returned ref's element; re-embeds when the spec object changes. */
export function useVegaEmbed(spec: Record<string, unknown>) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    let finalize: (() => void) | undefined;
    setReady(false);
    (async () => {
      try {
        const [{ default: embed }, { expressionInterpreter }] = await Promise.all([import("vega-embed"), import("vega-interpreter")]);
        if (!live || !ref.current) return;
        // The expression interpreter keeps charts working under a CSP without eval.
        const result = await embed(ref.current, spec as never, { actions: false, renderer: "svg", ast: true, expr: expressionInterpreter });
        if (!live) result.finalize();
        else {
          finalize = () => result.finalize();
          setReady(true);
        }
      } catch (e) {
        if (live) setError(e instanceof Error ? e.message : String(e));
      }
    })();
    return () => {
      live = false;
      finalize?.();
    };
  }, [spec]);
  return { ref, error, ready };
}

export function VegaChart({ spec, testId, label }: { spec: Record<string, unknown>; testId?: string; label?: string }) {
  const { ref, error, ready } = useVegaEmbed(spec);
  return (
    <figure data-testid={testId} data-ready={ready ? "true" : "false"} aria-label={label} className="max-w-full overflow-x-auto">
      <div ref={ref} />
      {error && <div className="text-xs text-red-700">{error}</div>}
    </figure>
  );
}
