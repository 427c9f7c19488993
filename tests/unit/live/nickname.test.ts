import { describe, expect, it } from "vitest";
import { checkNickname, nicknameKey } from "@/lib/live/nickname";

describe("nicknames", () => {
  it("are trimmed and whitespace collapsed", () => {
    expect(checkNickname("  Ana   María ")).toEqual({ ok: true, nickname: "Ana María" });
  });
  it.each([
    ["", "nickname_empty"],
    ["   ", "nickname_empty"],
    ["x".repeat(25), "nickname_too_long"],
    ["x".repeat(200), "nickname_too_long"],
    ["a\u0000b", "nickname_invalid"],
    ["a\u200Bb", "nickname_invalid"],
    ["evil\u202Etxt", "nickname_invalid"],
    ["FuckYou", "nickname_offensive"],
    ["sh1t", "nickname_offensive"],
    ["hijo de puta", "nickname_offensive"],
    ["Gilipollas", "nickname_offensive"],
  ])("%j → %s", (raw, code) => {
    expect(checkNickname(raw)).toEqual({ ok: false, code });
  });
  it("innocent names that contain a bad word stay fine", () => {
    for (const name of ["Hancock", "Grape", "Conor", "Yoshitaka", "Dickens", "Computadora", "Scunthorpe", "Peacock", "Classy"]) expect(checkNickname(name)).toMatchObject({ ok: true });
    expect(checkNickname("Tonto Puta")).toEqual({ ok: false, code: "nickname_offensive" });
    expect(checkNickname("BadPuta")).toEqual({ ok: false, code: "nickname_offensive" });
    expect(checkNickname("p-u-t-a")).toEqual({ ok: false, code: "nickname_offensive" });
  });
  it("24 characters (not bytes) are fine", () => {
    expect(checkNickname("ñ".repeat(24)).ok).toBe(true);
  });
  it("uniqueness ignores case and accents", () => {
    expect(nicknameKey("José")).toBe(nicknameKey("jose"));
    expect(nicknameKey("ANA")).toBe(nicknameKey("ana"));
  });
});
