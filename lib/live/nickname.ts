// Nickname rules of live games (issue 14 point 9): trimmed, 1-24 characters, no control or
// invisible characters, not on a small offensive-word list (es/en), unique per game ignoring
// case and accents. Pure; linear in the (bounded) input.
import { NICKNAME_MAX } from "./protocol";

export type NicknameProblem = "nickname_empty" | "nickname_too_long" | "nickname_invalid" | "nickname_offensive";

// Words refused in a nickname once normalised (lower case, accents dropped, common
// digit-for-letter swaps undone). Short and blunt on purpose: a teacher can still kick.
// WORDS match a whole word of the nickname ("Hancock", "grape", "Conor" stay fine);
// STEMS match anywhere ("FuckYou"), so they are only ones no innocent name contains.
const WORDS = [
  // en
  "fuck", "shit", "bitch", "cunt", "dick", "cock", "pussy", "whore", "slut", "fag", "retard", "rape", "nazi", "hitler", "bastard", "penis", "vagina", "porn", "sex", "ass",
  // es
  "puta", "puto", "mierda", "joder", "cabron", "polla", "cono", "marica", "zorra", "verga", "culero", "chinga", "follar", "mamon", "subnormal", "idiota", "imbecil", "culo", "pene",
];
const STEMS = ["fuck", "nigger", "nigga", "faggot", "asshole", "bitch", "whore", "motherf", "gilipollas", "hijoputa", "hijodeputa", "maricon", "mierda", "pendejo", "cabron", "chinga"];

const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s" };

/** Folded for comparison: NFKD, accents dropped, lower case, whitespace collapsed. */
export function foldNickname(s: string): string {
  return s.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase().replace(/\s+/gu, " ").trim();
}

/** Letters only, digit swaps undone; word breaks kept as spaces when `keepBreaks`. */
function squash(folded: string, keepBreaks: boolean): string {
  let out = "";
  for (const ch of folded) {
    const c = LEET[ch] ?? ch;
    if (/[a-zñ]/u.test(c)) out += c;
    else if (keepBreaks && !out.endsWith(" ")) out += " ";
  }
  return out.trim();
}

const WORD_SET = new Set(WORDS);

function offensive(nickname: string): boolean {
  const folded = foldNickname(nickname);
  const joined = squash(folded, false);
  if (STEMS.some((w) => joined.includes(w)) || WORD_SET.has(joined)) return true;
  // Words also split at lower→upper case changes ("BadPuta").
  const spaced = squash(foldNickname(nickname.replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")), true);
  return spaced.split(" ").some((w) => WORD_SET.has(w)) || squash(folded, true).split(" ").some((w) => WORD_SET.has(w));
}

/** The nickname as kept (trimmed, inner whitespace collapsed), or the reason it is refused. */
export function checkNickname(raw: string): { ok: true; nickname: string } | { ok: false; code: NicknameProblem } {
  if (raw.length > NICKNAME_MAX * 4) return { ok: false, code: "nickname_too_long" };
  // Control, format (zero-width, bidi overrides), private-use and unassigned characters.
  if (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u.test(raw)) return { ok: false, code: "nickname_invalid" };
  const nickname = raw.replace(/\s+/gu, " ").trim();
  if (nickname === "") return { ok: false, code: "nickname_empty" };
  if ([...nickname].length > NICKNAME_MAX) return { ok: false, code: "nickname_too_long" };
  if (offensive(nickname)) return { ok: false, code: "nickname_offensive" };
  return { ok: true, nickname };
}

/** The key under which a nickname must be unique in a game. */
export function nicknameKey(nickname: string): string {
  return foldNickname(nickname);
}
