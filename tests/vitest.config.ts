import { defineConfig } from "vitest/config";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  root,
  resolve: { alias: { "@": root } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites each create their own database; keep them in separate workers.
    pool: "forks",
    // Vitest's default is one worker less than the cores, which is one worker on a 2-core CI
    // machine: each file's fork spends most of a second importing, and the second core idles
    // once `npm test`'s e2e build and type check beside vitest are done. Two at least.
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS) || Math.max(2, availableParallelism() - 1),
    reporters: ["default"],
  },
});
