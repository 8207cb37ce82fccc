// Issue 20: where a new user lost trust, each reproduced through the real CLI in a subprocess on a temp project.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TSCONFIG, makeProject, readJson, runCli } from "../helpers.js";

const fence = (meta: string, code: string): string => "```" + meta + "\n" + code.trim() + "\n```\n";

function project(files: Record<string, string>): string {
  return makeProject({ "package.json": JSON.stringify({ name: "docs-project", type: "module" }), "tsconfig.json": TSCONFIG, ...files });
}

describe("--update never rewrites the output of a block that failed", () => {
  it("leaves the fences of a block that threw (before or after printing) alone, says so, and updates the rest", () => {
    const page = [
      "# Update",
      "",
      fence("ts", 'throw new Error("boom");\nconsole.log("hi");'),
      fence("output", "hi"),
      fence("ts", 'setTimeout(() => { throw new Error("later"); }, 10);\nconsole.log("x");'),
      fence("output", "y"),
      fence("ts", 'console.log("fine");'),
      fence("output", "stale"),
    ].join("\n");
    const dir = project({ "docs/a.md": page });
    const r = runCli(["--no-typecheck", "--no-lint", "--update"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const after = fs.readFileSync(path.join(dir, "docs/a.md"), "utf8");
    expect(after).toBe(page.replace("```output\nstale\n```", "```output\nfine\n```"));
    expect(r.stdout).toContain("docs/a.md:8: output fence left alone: the block failed (run/threw)");
    expect(r.stdout).toContain("docs/a.md:17: output fence left alone: the block failed (run/threw)");
    expect(r.stdout).toContain("docs/a.md: 1 output block updated");
    const index = readJson(path.join(dir, "reports/index.json"));
    const rules = index.pages[0].findings.map((f: { ruleId: string }) => f.ruleId);
    expect(rules).toEqual(["run/threw", "run/output-mismatch", "run/threw", "run/output-mismatch"]);
  });
});
