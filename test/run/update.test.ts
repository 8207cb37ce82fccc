// --update: only the bodies of stale `output` fences change; every other byte stays.
import { beforeAll, describe, expect, it } from "vitest";
import { applyEdits } from "../../src/edit.js";
import { ensureHarness, fence, makeProject, runDocs } from "./helpers.js";

beforeAll(ensureHarness);

describe("output-mismatch fixes (--update)", () => {
  it("rewrites stale output fences and leaves matching ones and the rest untouched", async () => {
    const page = [
      "# Title  ",
      "",
      fence("ts", "console.log('a');\nconsole.log('b');"),
      fence("output", "old"),
      "Some *prose* in between.\t",
      "",
      fence("ts", "console.log('same');"),
      fence("output", "same"),
      "- In a list:",
      "",
      "  ```ts",
      "  console.log('x\\ny');",
      "  ```",
      "",
      "  ```output",
      "  stale",
      "  ```",
      "",
    ].join("\n");
    const root = makeProject({ "docs/p.md": page });
    const run = await runDocs(root, ["docs/p.md"]);
    expect(run.findings.map((f) => f.ruleId)).toEqual(["run/output-mismatch", "run/output-mismatch"]);
    const { page: loaded } = run.loaded[0]!;
    const updated = applyEdits(loaded.source, run.findings.map((f) => f.fix!)).text;
    expect(updated).toBe(
      page.replace("```output\nold\n```", "```output\na\nb\n```").replace("  ```output\n  stale\n  ```", "  ```output\n  x\n  y\n  ```"),
    );
    // Idempotent: once updated, the page runs clean and nothing more changes.
    (await import("node:fs")).writeFileSync(`${root}/docs/p.md`, updated);
    const again = await runDocs(root, ["docs/p.md"]);
    expect(again.findings).toEqual([]);
  });
});
