// --baseline / --update-baseline through the CLI: known failures turn green, a new one still fails, entries survive
// the block moving on the page, fixed entries are reported as removable, and updating only shrinks unless --force.
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { makeProject, readJson, runCli, TSCONFIG } from "../helpers.js";

const BAD_A = "```ts\nconst a: number = 'x';\n```\n";
const BAD_B = "```ts\nconst b: string = 1;\nconst c: string = 2;\n```\n";

it("a baseline turns known failures green, still fails a new one, and only shrinks unless --force", () => {
  const dir = makeProject({ "tsconfig.json": TSCONFIG, "docs/a.md": `# A\n\n${BAD_A}`, "docs/b.md": `# B\n\n${BAD_B}` });
  const run = (...args: string[]) => runCli(["--no-run", "--reporter", "console,json", ...args], dir);

  // A baseline that does not exist is a usage error, not a silent pass. (That the gate fails without a baseline is
  // the three ts2322 errors the green run below reports demoted and marked baselined.)
  const missing = run("--baseline", "vd-baseline.json");
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain("baseline not found");
  expect(missing.stderr).toContain("--update-baseline");

  // Record today's failures.
  const created = run("--baseline", "vd-baseline.json", "--update-baseline");
  expect(created.code, created.stdout).toBe(0);
  const file = readJson(path.join(dir, "vd-baseline.json"));
  expect(file.entries.map((e: { page: string; rule: string; count: number }) => [e.page, e.rule, e.count])).toEqual([
    ["docs/a.md", "ts2322", 1],
    ["docs/b.md", "ts2322", 2],
  ]);
  expect(created.stdout).toContain("updated: 0 removed, 3 added");

  // Known failures are green; they stay in the report, demoted and marked.
  const green = run("--baseline", "vd-baseline.json");
  expect(green.code, green.stdout).toBe(0);
  expect(green.stdout).not.toContain("error ts2322");
  expect(green.stdout).toContain("baseline vd-baseline.json: 3 known errors not failing the gate");
  const index = readJson(path.join(dir, "reports/index.json"));
  expect(index.summary).toMatchObject({ errors: 0, warnings: 0, baselined: 3 });
  expect(index.pages[0].findings[0]).toMatchObject({ ruleId: "ts2322", severity: "warning", baselined: true });

  // In one edit (one run, one re-check): the known block of docs/a.md moves down the page (new text above it) and a
  // new failing block is added there: only that one fails; the known failures of docs/b.md are fixed (its block
  // rewritten): reported as removable.
  fs.writeFileSync(path.join(dir, "docs/a.md"), `# A\n\nIntro paragraph.\n\nMore text.\n\n${BAD_A}\n\`\`\`ts\nconst d: boolean = 'no';\n\`\`\`\n`);
  fs.writeFileSync(path.join(dir, "docs/b.md"), "# B\n\n```ts\nconst ok: string = 'fine';\n```\n");
  const fresh = run("--baseline", "vd-baseline.json");
  expect(fresh.code).toBe(1);
  expect(fresh.stdout).toContain("docs/a.md:12:7 error ts2322");
  expect(fresh.stdout.match(/^\S+:\d+:\d+ error /gm)).toHaveLength(1);
  expect(fresh.stdout).toContain("1 known error not failing the gate; 2 known errors no longer fail (remove with --update-baseline)");

  // Updating shrinks (b's entry goes) but does not add the new failure, which still fails the run.
  const shrink = run("--baseline", "vd-baseline.json", "--update-baseline");
  expect(shrink.code).toBe(1);
  expect(shrink.stdout).toContain("updated: 2 removed, 0 added, 1 new failure not added (--force adds them)");
  expect(readJson(path.join(dir, "vd-baseline.json")).entries.map((e: { page: string; count: number }) => [e.page, e.count])).toEqual([["docs/a.md", 1]]);

  // --force adds it; --force alone is a usage error.
  expect(run("--baseline", "vd-baseline.json", "--force").code).toBe(2);
  const grow = run("--baseline", "vd-baseline.json", "--update-baseline", "--force");
  expect(grow.code).toBe(0);
  expect(readJson(path.join(dir, "vd-baseline.json")).entries.map((e: { line: number }) => e.line)).toEqual([8, 12]);

  // A partial run (one page) never drops the entries of pages it did not check.
  const partial = runCli(["--no-run", "--reporter", "console", "--baseline", "vd-baseline.json", "--update-baseline", "docs/b.md"], dir);
  expect(partial.code).toBe(0);
  expect(readJson(path.join(dir, "vd-baseline.json")).entries).toHaveLength(2);
});
