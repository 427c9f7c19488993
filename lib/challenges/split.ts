// Deterministic splits seeded by text (a challenge id): which hidden rows score the public
// leaderboard, and which uploaded rows become the hidden test part. Classification targets are
// split per class so a rare class lands on both sides.

import { createRng } from "@/lib/datasets/prng";

/** 32-bit FNV-1a of a string: the integer seed for lib/datasets' PRNG. */
export function seedFromText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** How many of `n` rows go to the selected side: round(n·f), keeping one on each side when n ≥ 2. */
export function sideCount(n: number, fraction: number): number {
  if (n <= 1) return 0;
  return Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
}

/**
 * Picks round(n·fraction) rows per group (all rows one group when `groups` is null), seeded by
 * `seedText`. Returns a mask: true for a picked row. Same inputs, same mask, in Node and browsers.
 */
export function pickRows(count: number, fraction: number, seedText: string, groups: readonly string[] | null): boolean[] {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`pickRows: fraction must be in (0, 1), got ${fraction}`);
  if (groups && groups.length !== count) throw new Error("pickRows: one group per row");
  const rng = createRng(seedFromText(seedText));
  const byGroup = new Map<string, number[]>();
  for (let i = 0; i < count; i++) {
    const g = groups ? groups[i] : "";
    let list = byGroup.get(g);
    if (!list) byGroup.set(g, (list = []));
    list.push(i);
  }
  const mask = new Array<boolean>(count).fill(false);
  // Groups in a fixed order so the draw does not depend on the order rows first appear.
  for (const key of [...byGroup.keys()].sort()) {
    const rows = rng.shuffle(byGroup.get(key)!);
    const k = sideCount(rows.length, fraction);
    for (let j = 0; j < k; j++) mask[rows[j]] = true;
  }
  return mask;
}

/** The public mask as stored: one '1' (public) or '0' (private) per hidden row. */
export function publicMaskFor(labels: readonly (string | number)[], publicFraction: number, seedText: string, stratify: boolean): string {
  const mask = pickRows(labels.length, publicFraction, `public:${seedText}`, stratify ? labels.map(String) : null);
  let s = "";
  for (const b of mask) s += b ? "1" : "0";
  return s;
}
