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

describe("reports never clobber docs (--out)", () => {
  const files = () => ({
    "docs/index.md": "# Home\n\nhand-written\n",
    "docs/a.md": "# A\n\n" + fence("ts", 'const n: number = "x";'),
  });

  it("refuses an output directory that holds the pages being checked (exit 2, says why, writes nothing)", () => {
    const dir = project(files());
    for (const out of ["docs", "."]) {
      const r = runCli(["--out", out, "--no-run"], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`the report directory ${out} holds pages being checked (docs/a.md, docs/index.md)`);
      expect(r.stdout).not.toContain("no errors");
      expect(fs.readFileSync(path.join(dir, "docs/index.md"), "utf8")).toBe("# Home\n\nhand-written\n");
      expect(fs.existsSync(path.join(dir, "index.json"))).toBe(false);
    }
  });

  it("never overwrites a file it did not write, and still rewrites its own reports on the next run", () => {
    const dir = project({ ...files(), "out/index.md": "mine\n" });
    const r = runCli(["--out", "out", "--no-run"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("refusing to write reports: out/index.md already exists and validate-docs did not write it");
    expect(fs.readFileSync(path.join(dir, "out/index.md"), "utf8")).toBe("mine\n");
    expect(fs.existsSync(path.join(dir, "out/index.json"))).toBe(false);

    fs.rmSync(path.join(dir, "out/index.md"));
    for (let i = 0; i < 2; i++) {
      const again = runCli(["--out", "out", "--no-run"], dir);
      expect(again.stderr).toBe("");
      expect(again.code).toBe(1);
      expect(fs.readFileSync(path.join(dir, "out/index.md"), "utf8")).toContain("docs/a.md");
    }
  });
});
