import { defineConfig } from "vitest/config";

// Tests spawn the real CLI, the real compiler and real child processes; no timing targets live here
// (performance belongs to `npm run bench`), so time limits are only a guard against hangs.
export default defineConfig({
  // src/typescript.cts (the compiler loaded with `require`, see there) is CommonJS TypeScript syntax that the test
  // transform cannot compile; from sources the tests load the same compiler package directly.
  resolve: { alias: [{ find: /^(\.\.?\/)+(src\/)?typescript\.cjs$/, replacement: "typescript" }] },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
