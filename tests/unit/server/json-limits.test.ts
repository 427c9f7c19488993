import { describe, expect, it } from "vitest";
import { findUnstorableString, isStorableText, jsonTextDepth, scanJsonText, valueDepth } from "@/lib/server/json-limits";
import { BodyTooLargeError, readBodyText } from "@/lib/server/read-body";

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

describe("jsonTextDepth", () => {
  it("counts bracket nesting outside strings", () => {
    expect(jsonTextDepth("1")).toBe(0);
    expect(jsonTextDepth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(jsonTextDepth('{"a":"[[[[{{{{"}')).toBe(1);
    expect(jsonTextDepth('{"a":"\\"[[[["}')).toBe(1); // escaped quote does not end the string
    expect(jsonTextDepth('["\\\\",[[]]]')).toBe(3); // an escaped backslash does end before the quote
    expect(jsonTextDepth(nested(20_000))).toBe(20_000);
  });

  it("stops at the limit", () => {
    expect(jsonTextDepth(nested(20_000), 32)).toBe(33);
    expect(jsonTextDepth(nested(32), 32)).toBe(32);
  });

  it("agrees with scanJsonText's character walk on random texts of brackets, quotes, backslashes and text", () => {
    const pieces = ["[", "]", "{", "}", '"', "\\", "\\\\", '\\"', "a", "1", ",", ":", " ", "\\u0000"];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 20_000; i++) {
      const text = Array.from({ length: Math.floor(next() * 40) }, () => pieces[Math.floor(next() * pieces.length)]).join("");
      for (const limit of [Infinity, 2]) expect(jsonTextDepth(text, limit), text).toBe(scanJsonText(text, limit).depth);
    }
  });
});

describe("scanJsonText", () => {
  const suspect = (text: string) => scanJsonText(text).mayBeUnstorable;

  it("flags every way JSON text can spell a NUL or a lone surrogate, in values and keys", () => {
    expect(suspect('{"a":"x\\u0000"}')).toBe(true);
    expect(suspect('{"a\\u0000":1}')).toBe(true);
    expect(suspect('["\\ud800"]')).toBe(true);
    expect(suspect('["\\uDFFF"]')).toBe(true);
    expect(suspect('["\ud800"]')).toBe(true); // a raw lone surrogate code unit
    expect(suspect('["a\u0000"]')).toBe(true); // a raw NUL (JSON.parse refuses it anyway)
    // each flagged text really holds unstorable text once parsed, or is not JSON
    for (const text of ['{"a":"x\\u0000"}', '["\\ud800"]', '{"k\\u0000":1}']) expect(findUnstorableString(JSON.parse(text))).not.toBeNull();
  });

  it("clears text with nothing that can decode to unstorable text, so the value walk is skipped", () => {
    const batch = JSON.stringify({ run_id: "r", metrics: Array.from({ length: 100 }, (_, i) => ({ key: `m${i}`, value: i / 3, timestamp: 1, step: i })) });
    expect(suspect(batch)).toBe(false);
    expect(suspect('{"a":"ñ \\u00e9 \\\\u0000 \\"\\u0041"}')).toBe(false); // \\u0000 is a backslash then "u0000"
    expect(suspect('{"a":"😀"}')).toBe(true); // paired: flagged, and the walk then clears it
    expect(findUnstorableString(JSON.parse('{"a":"😀"}'))).toBeNull();
  });

  it("counts depth as jsonTextDepth does", () => {
    expect(scanJsonText('{"a":[1,{"b":"[[\\u0000"}]}')).toEqual({ depth: 3, mayBeUnstorable: true });
    expect(scanJsonText(nested(20_000), 32).depth).toBe(33);
  });
});

describe("valueDepth", () => {
  it("measures parsed values without recursion", () => {
    expect(valueDepth("x")).toBe(0);
    expect(valueDepth({ a: [1, { b: [] }] })).toBe(4);
    const deep = JSON.parse(nested(20_000));
    expect(valueDepth(deep)).toBe(20_000);
    expect(valueDepth(deep, 60)).toBe(61);
  });
});

describe("storable text", () => {
  it("refuses NUL and unpaired surrogates, keeps paired ones", () => {
    expect(isStorableText("plain ñ 😀")).toBe(true);
    expect(isStorableText("a\u0000b")).toBe(false);
    expect(isStorableText("\ud83d")).toBe(false);
    expect(isStorableText("x\ude00")).toBe(false);
    expect(isStorableText("😀".slice(0, 1))).toBe(false);
  });

  it("names the first bad string's path, keys included", () => {
    expect(findUnstorableString({ run_id: "r", tags: [{ key: "a", value: "ok" }, { key: "b", value: "x\u0000" }] })).toBe("tags[1].value");
    expect(findUnstorableString({ name: "\ud800" })).toBe("name");
    expect(findUnstorableString({ tags: { "bad\u0000key": 1 } })).toBe("tags.(a key)");
    expect(findUnstorableString({ a: [1, true, null, "fine"] })).toBeNull();
  });
});

describe("readBodyText", () => {
  const stream = (chunks: number, size: number, pulled: { n: number }) =>
    new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled.n >= chunks) return controller.close();
        pulled.n++;
        controller.enqueue(new Uint8Array(size).fill(0x20));
      },
    });

  it("reads a body under the limit", async () => {
    expect(await readBodyText(new Request("http://x/", { method: "POST", body: '{"a":1}' }), 100)).toBe('{"a":1}');
    expect(await readBodyText(new Request("http://x/", { method: "POST" }), 100)).toBe("");
  });

  it("stops reading a 30 MB chunked body at the limit, without trusting Content-Length", async () => {
    const pulled = { n: 0 };
    const req = new Request("http://x/", { method: "POST", body: stream(30, 1024 * 1024, pulled), duplex: "half" } as RequestInit);
    await expect(readBodyText(req, 5 * 1024 * 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(pulled.n).toBeLessThanOrEqual(8); // 6 MB read (plus what the stream queued ahead), not 30
  });

  it("refuses a declared Content-Length over the limit before reading", async () => {
    const pulled = { n: 0 };
    const req = new Request("http://x/", { method: "POST", body: stream(30, 1024 * 1024, pulled), headers: { "content-length": String(30 * 1024 * 1024) }, duplex: "half" } as RequestInit);
    await expect(readBodyText(req, 5 * 1024 * 1024)).rejects.toThrow(/exceeds 5242880 bytes/);
    expect(pulled.n).toBeLessThanOrEqual(1);
  });
});
