import { describe, expect, it } from "vitest";
import * as ws from "ws";
import { textFrame } from "@/lib/server/live/frame";

// ws's own framing (not in its type declarations), as the reference.
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, o: object): Buffer[] } };

describe("textFrame", () => {
  it.each([0, 5, 125, 126, 1000, 65535, 65536, 70_000])("matches ws's frame for %i bytes", (n) => {
    const payload = Buffer.from("x".repeat(n));
    const expected = Buffer.concat(Sender.frame(payload, { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: false }));
    expect(textFrame(payload).equals(expected)).toBe(true);
  });
});
