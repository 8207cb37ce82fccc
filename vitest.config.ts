import { defineConfig } from "vitest/config";

// Tests spawn the real CLI, the real compiler and real child processes; no timing targets live here
// (performance belongs to `npm run bench`), so time limits are only a guard against hangs.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
