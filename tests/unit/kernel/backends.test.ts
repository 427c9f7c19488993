import { describe, expect, it } from "vitest";
import { softwareRenderer } from "@/lib/kernel/backends";

describe("softwareRenderer", () => {
  it("names the software renderers that calibration skips", () => {
    expect(softwareRenderer("google swiftshader  ")).toBe("swiftshader");
    expect(softwareRenderer("ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)")).toBe("SwiftShader");
    expect(softwareRenderer("llvmpipe (LLVM 15.0.6, 256 bits)")).toBe("llvmpipe");
    expect(softwareRenderer("ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11)")).toBe("Microsoft Basic Render");
    expect(softwareRenderer("nvidia ampere", true)).toBe("fallback adapter");
  });

  it("leaves hardware GPUs to be timed", () => {
    expect(softwareRenderer("nvidia ampere")).toBeNull();
    expect(softwareRenderer("ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)")).toBeNull();
    expect(softwareRenderer("apple metal-3")).toBeNull();
  });
});
