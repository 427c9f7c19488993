// `?ids=a,b,c` of the compare page: 2–10 distinct run ids (shared by the server page and links).

const RUN_ID = /^[0-9a-f]{32}$/;

export function parseCompareIds(raw: string | undefined): { ids: string[] } | { problem: "needIds" | "badIds" } {
  const ids = [...new Set((raw ?? "").split(",").map((s) => s.trim()).filter(Boolean))];
  if (ids.some((id) => !RUN_ID.test(id))) return { problem: "badIds" };
  if (ids.length < 2 || ids.length > 10) return { problem: "needIds" };
  return { ids };
}
