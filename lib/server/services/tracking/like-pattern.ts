// SQL LIKE / ILIKE for run and experiment search, matched without a regular expression: a
// backtracking RegExp built from `%a%a%a%b` took seconds on one 8,000-character tag value.
// `%` splits the pattern into fixed-length segments (`_` = any one UTF-16 code unit, as the old
// RegExp's [\s\S]); each segment is placed at its leftmost fit after the previous one, which is
// optimal because segments have fixed lengths. Literal segments use indexOf, segments with `_` a
// bit-parallel Shift-And scan, so one match costs O(value × ⌈segment/32⌉), never exponential.
// Escapes as PostgreSQL's default LIKE: `\%`, `\_`, `\\` are literals; `\x` is `x`.
import { DomainError } from "@/lib/server/errors";

export const LIKE_LIMITS = {
  /** MLflow's key length limit; patterns longer than any sensible prefix/suffix search are refused. */
  patternLength: 250,
  /** Unescaped `%` wildcards in one pattern. */
  percentWildcards: 20,
} as const;

const ANY = -1;

interface Segment {
  /** Code units of the segment (folded for ILIKE); ANY for `_`. */
  codes: Int32Array;
  /** The segment as a string when it has no `_` (indexOf / startsWith path). */
  literal: string | null;
  /** Shift-And tables, built only for segments with `_`. */
  masks: Map<number, Uint32Array> | null;
  anyMask: Uint32Array | null;
}

const invalid = (message: string) => new DomainError("invalidInput", message);

// Case folding exactly as a non-unicode /i RegExp (ECMAScript Canonicalize): upper-case a code
// unit unless that gives several units or maps a non-ASCII unit into ASCII. One table, built on
// first ILIKE.
let foldTable: Uint16Array | null = null;
function fold(c: number): number {
  if (!foldTable) {
    foldTable = new Uint16Array(0x10000);
    for (let u = 0; u < 0x10000; u++) {
      const up = String.fromCharCode(u).toUpperCase();
      foldTable[u] = up.length === 1 && !(u >= 128 && up.charCodeAt(0) < 128) ? up.charCodeAt(0) : u;
    }
  }
  return foldTable[c];
}

function foldString(s: string): string {
  let out = "";
  const CHUNK = 4096;
  const buf = new Array<number>(Math.min(CHUNK, s.length));
  for (let i = 0; i < s.length; i += CHUNK) {
    const end = Math.min(s.length, i + CHUNK);
    buf.length = end - i;
    for (let j = i; j < end; j++) buf[j - i] = fold(s.charCodeAt(j));
    out += String.fromCharCode(...buf);
  }
  return out;
}

function makeSegment(codes: number[]): Segment {
  const arr = Int32Array.from(codes);
  if (!codes.includes(ANY)) return { codes: arr, literal: String.fromCharCode(...codes), masks: null, anyMask: null };
  const words = (codes.length + 31) >>> 5;
  const anyMask = new Uint32Array(words);
  codes.forEach((c, j) => {
    if (c === ANY) anyMask[j >>> 5] |= 1 << (j & 31);
  });
  const masks = new Map<number, Uint32Array>();
  codes.forEach((c, j) => {
    if (c === ANY) return;
    let m = masks.get(c);
    if (!m) masks.set(c, (m = Uint32Array.from(anyMask)));
    m[j >>> 5] |= 1 << (j & 31);
  });
  return { codes: arr, literal: null, masks, anyMask };
}

/** The segment equals value[at, at + length). */
function matchesAt(value: string, at: number, seg: Segment): boolean {
  if (seg.literal !== null) return value.startsWith(seg.literal, at);
  const codes = seg.codes;
  for (let j = 0; j < codes.length; j++) if (codes[j] !== ANY && codes[j] !== value.charCodeAt(at + j)) return false;
  return true;
}

/** Leftmost start p >= from with the segment inside value[from, to); -1 if none. */
function findFrom(value: string, seg: Segment, from: number, to: number): number {
  const len = seg.codes.length;
  if (len === 0) return from <= to ? from : -1;
  if (seg.literal !== null) {
    const p = value.indexOf(seg.literal, from);
    return p >= 0 && p + len <= to ? p : -1;
  }
  // Shift-And: bit j of state is set when value[i-j..i] matches the segment's first j+1 units.
  const words = seg.anyMask!.length;
  const state = new Uint32Array(words);
  const lastWord = (len - 1) >>> 5;
  const lastBit = 1 << ((len - 1) & 31);
  for (let i = from; i < to; i++) {
    const mask = seg.masks!.get(value.charCodeAt(i)) ?? seg.anyMask!;
    let carry = 1;
    for (let w = 0; w < words; w++) {
      const d = state[w];
      state[w] = (((d << 1) | carry) & mask[w]) >>> 0;
      carry = d >>> 31;
    }
    if (state[lastWord] & lastBit) return i - len + 1;
  }
  return -1;
}

/**
 * Compiles a LIKE (or, with `caseInsensitive`, ILIKE) pattern into a predicate. Throws an
 * invalid-input DomainError for a pattern over the limits or ending in a lone escape.
 */
export function compileLike(pattern: string, caseInsensitive: boolean): (value: string) => boolean {
  if (pattern.length > LIKE_LIMITS.patternLength)
    throw invalid(`LIKE pattern is ${pattern.length} characters long; at most ${LIKE_LIMITS.patternLength} are allowed`);
  const segments: number[][] = [[]];
  let percents = 0;
  for (let i = 0; i < pattern.length; i++) {
    let c = pattern.charCodeAt(i);
    if (c === 0x5c /* \ */) {
      if (i + 1 >= pattern.length) throw invalid(`LIKE pattern '${pattern}' must not end with the escape character '\\'`);
      c = pattern.charCodeAt(++i);
      segments[segments.length - 1].push(caseInsensitive ? fold(c) : c);
    } else if (c === 0x25 /* % */) {
      if (++percents > LIKE_LIMITS.percentWildcards)
        throw invalid(`LIKE pattern '${pattern.slice(0, 60)}' has more than ${LIKE_LIMITS.percentWildcards} '%' wildcards`);
      segments.push([]);
    } else if (c === 0x5f /* _ */) segments[segments.length - 1].push(ANY);
    else segments[segments.length - 1].push(caseInsensitive ? fold(c) : c);
  }
  const segs = segments.map(makeSegment);
  const minLength = segs.reduce((n, s) => n + s.codes.length, 0);

  if (segs.length === 1) {
    const only = segs[0];
    return (raw) => {
      const value = caseInsensitive ? foldString(raw) : raw;
      return value.length === minLength && matchesAt(value, 0, only);
    };
  }
  const first = segs[0];
  const last = segs[segs.length - 1];
  const middle = segs.slice(1, -1).filter((s) => s.codes.length > 0);
  return (raw) => {
    if (raw.length < minLength) return false;
    const value = caseInsensitive ? foldString(raw) : raw;
    const end = value.length - last.codes.length;
    if (!matchesAt(value, 0, first) || !matchesAt(value, end, last)) return false;
    let at = first.codes.length;
    for (const seg of middle) {
      const p = findFrom(value, seg, at, end);
      if (p < 0) return false;
      at = p + seg.codes.length;
    }
    return true;
  };
}
