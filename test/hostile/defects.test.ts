// Defects held-out hostile cases found (issue 18), each through the real CLI: a config or plugin that never
// settles, a secret cut at 300 characters, validate-docs killed with SIGKILL, a 50 MB error message. (A block nested
// too deeply for the compiler: test/hostile/cases.test.ts, a page of its parser run.)
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, once, TSCONFIG } from "../helpers.js";
import { cli, expectNoLeftovers, fence, pageOf, processesOf, readIndex, ruleIds, sleep, startCli, waitForFile } from "./helpers.js";

const base = { "package.json": JSON.stringify({ name: "hostile", type: "module" }), "tsconfig.json": TSCONFIG };
const page = fence("ts", "const n: number = 1;\nconsole.log(n);");

describe.concurrent("a run that never finishes never passes", () => {
  for (const [name, files] of [
    ["config whose top-level await never settles", { "validate-docs.config.mjs": "await new Promise(() => {});\nexport default {};\n" }],
    ["config that calls process.exit(0)", { "validate-docs.config.mjs": "process.exit(0);\nexport default {};\n" }],
    // TypeScript goes through the same bundling helper (util/import-module.ts) for configs and rules.
    ["TypeScript config whose top-level await never settles", { "validate-docs.config.ts": "await new Promise<void>(() => {});\nexport default {};\n" }],
    [
      "TypeScript rule plugin whose top-level await never settles",
      {
        "validate-docs.config.mjs": 'export default { plugins: { "my-rule": "./rule.ts" }, rules: { "my-rule": "error" } };\n',
        "rule.ts": "await new Promise<void>(() => {});\nexport default {};\n",
      },
    ],
    [
      "rule plugin whose top-level await never settles",
      {
        "validate-docs.config.mjs": 'export default { plugins: { "my-rule": "./rule.mjs" }, rules: { "my-rule": "error" } };\n',
        "rule.mjs": "await new Promise(() => {});\nexport default {};\n",
      },
    ],
  ] as const) {
    it(`${name}: exit 2 with a clear error, no reports`, async () => {
      const dir = makeProject({ ...base, ...files, "docs/a.md": page });
      const r = await cli([], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/validate-docs: internal error: the run ended before it finished while (loading the configuration|checking pages)/);
      expect(r.stderr).toContain("hint:");
      expect(fs.existsSync(path.join(dir, "reports"))).toBe(false);
      // No temporary bundle of a TypeScript config or rule is left next to it.
      expect(fs.readdirSync(dir).filter((f) => f.endsWith(".validate-docs.mjs"))).toEqual([]);
      await expectNoLeftovers(r.pid, dir);
    });
  }
});

const secret = "sk-live-9f8e7d6c5b4a3928";

/**
 * The run stage's cases in one project and one run (type-check and lint off: what is asserted is what running
 * reports): the secret cut at 300 characters (docs/a.md) and the 50 MB error message beside a page that passes
 * (docs/huge.md, docs/fine.md). Each test reads its own pages.
 */
const runStage = once(async () => {
  const dir = makeProject({
    ...base,
    "validate-docs.config.json": JSON.stringify({ passEnv: ["MY_API_KEY"] }),
    // The value's text is cut at 300 characters right inside the secret.
    "docs/a.md": fence("ts", 'const s = "x".repeat(290) + process.env.MY_API_KEY;\ns // => "nope"'),
    "docs/huge.md": fence("ts", 'throw new Error("x".repeat(50_000_000));'),
    "docs/fine.md": fence("ts", "console.log('fine');"),
  });
  // The default reporters (console, JSON, Markdown): the secret must be in none of them.
  return { dir, r: await cli(["--no-typecheck", "--no-lint", "--timeout", "60000"], dir, { MY_API_KEY: secret }) };
});

describe.concurrent("secrets", () => {
  it("a secret cut by the 300-character quote of a value is masked before it is cut", async () => {
    const { dir, r } = await runStage();
    expect(r.code).toBe(1);
    const index = readIndex(path.join(dir, "reports"));
    expect(ruleIds(pageOf(index, "docs/a.md"))).toEqual(["run/output-mismatch"]);
    const everything = [r.stdout, r.stderr, ...allFiles(path.join(dir, "reports"))].join("\n");
    expect(everything).toContain("xxx***");
    // Not even the first characters of the secret.
    expect(everything).not.toContain(secret.slice(0, 4));
  });
});

describe.concurrent("validate-docs killed with SIGKILL", () => {
  it("its spinning example, the example's child and a setsid grandchild die too; temp dirs go", async () => {
    const dir = makeProject({
      ...base,
      "validate-docs.config.json": JSON.stringify({ passEnv: ["PIDS_FILE"], sandbox: { childProcess: true, write: ["."] } }),
      "docs/spin.md": fence(
        "ts",
        [
          "const cp = await import('node:child_process');",
          "const fs = await import('node:fs');",
          "const child = cp.spawn('sh', ['-c', 'setsid sleep 300 & sleep 300'], { stdio: 'ignore' });",
          "fs.writeFileSync(process.env.PIDS_FILE!, `${process.pid} ${child.pid} ${process.cwd()}`);",
          "while (true) {}",
        ].join("\n"),
      ),
    });
    const pidsFile = path.join(dir, "pids.txt");
    const started = startCli(["--no-typecheck", "--no-lint", "--timeout", "120000"], dir, { PIDS_FILE: pidsFile });
    await waitForFile(pidsFile);
    // Both grandchildren (`setsid sleep 300` and `sleep 300`) have started: no fixed wait, a loaded machine may take long.
    let before = processesOf(started.proc.pid!, dir);
    for (let waited = 0; before.filter((p) => p.cmd === "sleep 300").length < 2 && waited < 60_000; waited += 50) {
      await sleep(50);
      before = processesOf(started.proc.pid!, dir);
    }
    expect(before.filter((p) => p.cmd === "sleep 300").length).toBe(2);
    started.proc.kill("SIGKILL");
    const r = await started.done;
    expect(r.signal).toBe("SIGKILL");
    await expectNoLeftovers(r.pid, dir, 5000);
    // The page's temp dir (its cwd) and the watchdog's registry are removed.
    const pageDir = fs.readFileSync(pidsFile, "utf8").split(" ").slice(2).join(" ");
    expect(pageDir).toContain("validate-docs-page-");
    expect(fs.existsSync(pageDir)).toBe(false);
    expect(fs.readdirSync(path.dirname(pageDir)).filter((n) => n.includes(`validate-docs-watch-${r.pid}-`))).toEqual([]);
  });
});

describe.concurrent("one page never takes the others down", () => {
  // A block nested 5,000 deep (typecheck/crash for it, the other pages keep their results): a page of
  // test/hostile/cases.test.ts's parser run (type-check and lint), which asserts the other pages' findings too.
  it("a 50 MB error message is reported as the throw it is (cut), not as a stalled page", async () => {
    const { dir, r } = await runStage();
    expect(r.code).toBe(1);
    const index = readIndex(path.join(dir, "reports"));
    const huge = pageOf(index, "docs/huge.md");
    expect(ruleIds(huge)).toEqual(["run/threw"]);
    expect(huge.findings[0]!.message.length).toBeLessThan(10_000);
    expect(pageOf(index, "docs/fine.md").blocks[0]!.status).toBe("passed");
    await expectNoLeftovers(r.pid, dir);
  });
});

function allFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    return e.isDirectory() ? allFiles(file) : [fs.readFileSync(file, "utf8")];
  });
}
