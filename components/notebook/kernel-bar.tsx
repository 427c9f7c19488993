"use client";
// Status bar: kernel state, the tfjs backend and device, and a backend switcher.
import { useTranslations } from "next-intl";
import { memo } from "react";
import type { BackendInfo, BackendName, KernelStatus } from "@/lib/kernel/protocol";

const BACKENDS: BackendName[] = ["webgpu", "webgl", "wasm", "cpu"];

export const KernelBar = memo(function KernelBar({ status, backend, busy, onSwitch }: { status: KernelStatus | "off"; backend: BackendInfo | null; busy: boolean; onSwitch(name: BackendName): void }) {
  const t = useTranslations("notebook");
  return (
    // Opaque, with no backdrop blur: a blur behind a bar that stays on screen is redrawn with every
    // frame that moves the text under it (a cell growing a line: ~4 ms of draw per Enter in software).
    <div data-caret-inset="bottom" className="sticky bottom-0 z-20 -mx-1 flex flex-wrap items-center gap-3 rounded-lg border border-stone-200 bg-white px-3 py-1.5 text-xs text-stone-600 shadow-sm" data-testid="kernel-bar">
      <span data-testid="kernel-status" data-status={status} className="inline-flex items-center gap-1">
        <span className={`inline-block h-2 w-2 rounded-full ${status === "idle" ? "bg-emerald-500" : status === "busy" ? "bg-blue-500 animate-pulse" : status === "dead" ? "bg-red-500" : "bg-amber-400"}`} />
        {t(`kernel.status.${status}`)}
      </span>
      <span>
        {t("kernel.backend")}: <strong data-testid="kernel-backend" data-backend={backend?.name ?? ""}>{backend?.name ?? t("kernel.auto")}</strong>
      </span>
      {backend && <span data-testid="kernel-device" className="truncate text-stone-500">{backend.device}</span>}
      <label className="ml-auto inline-flex items-center gap-1">
        {t("kernel.switch")}
        <select
          data-testid="kernel-backend-select"
          disabled={busy}
          value={backend?.name ?? ""}
          onChange={(e) => e.target.value && onSwitch(e.target.value as BackendName)}
          className="rounded border border-stone-300 bg-white px-1 py-0.5"
        >
          <option value="">{t("kernel.auto")}</option>
          {BACKENDS.map((b) => (
            <option key={b} value={b}>{b}</option>
          ))}
        </select>
      </label>
    </div>
  );
});
