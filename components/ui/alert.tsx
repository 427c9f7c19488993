import type { ReactNode } from "react";

const tones = {
  error: "border-red-300 bg-red-50 text-red-800",
  info: "border-blue-200 bg-accent-soft text-blue-900",
  success: "border-green-300 bg-green-50 text-green-800",
};

export function Alert({ tone = "info", children, testId }: { tone?: keyof typeof tones; children: ReactNode; testId?: string }) {
  return (
    <div role={tone === "error" ? "alert" : "status"} data-testid={testId} className={`rounded-md border px-3 py-2 text-sm ${tones[tone]}`}>
      {children}
    </div>
  );
}
