// Each run/* finding kind, on real Markdown pages run in real child processes, and the fixes of output mismatches.
import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { applyEdits } from "../../src/edit.js";
import { once } from "../helpers.js";
import { ensureHarness, fence, lineOf, makeProject, pageOfRun, runDocs } from "./helpers.js";

beforeAll(ensureHarness);

const rules = (findings: { ruleId: string }[]): string[] => findings.map((f) => f.ruleId).sort();

/**
 * The pages of the tests below that run with the default options: one project and one run (a run starts its runner
 * processes and its build once, and each page runs in a fresh thread of its own, so the pages do not interact); each
 * test reads its own page's findings, ran blocks and outputs. The run starts when the first test that needs it does.
 */
const PAGES: Record<string, string> = {};
const NOISY = {
  "node_modules/noisy/package.json": JSON.stringify({ name: "noisy", type: "module", exports: "./index.js" }),
  "node_modules/noisy/index.js": [
    "export function setup() { console.warn('noisy: provider missing, nothing will be exported'); }",
    "export function deprecated() { process.emitWarning('old API', 'DeprecationWarning'); }",
    "export function callBack(fn) { fn(); }",
  ].join("\n"),
};
const sharedRun = once(async () => {
  const root = makeProject({ ...NOISY, ...PAGES });
  return { root, ...(await runDocs(root, Object.keys(PAGES))) };
});

/** One page of the shared run (pageOfRun). */
const pageRun = async (rel: string) => pageOfRun(await sharedRun(), rel);

describe("run findings", () => {
  const guide = [
    "# Guide",
    "",
    "1. First step:",
    "",
    "   ```ts",
    "   const value: number = 1;",
    "   function check(n: number): void {",
    "     if (n > 0) throw new RangeError(`too big: ${n}`);",
    "   }",
    "   check(value);",
    "   ```",
    "",
  ].join("\n");
  PAGES["docs/guide.md"] = guide;
  it("maps a throw to the page line of the throwing statement, indented in a list", async () => {
    const page = guide;
    const { findings } = await pageRun("docs/guide.md");
    expect(rules(findings)).toEqual(["run/threw"]);
    const throwLine = lineOf(page, "throw new RangeError");
    expect(findings[0]!.place.start.line).toBe(throwLine);
    // V8 places the frame at the `new` expression that created the error.
    expect(findings[0]!.place.start.column).toBe(page.split("\n")[throwLine - 1]!.indexOf("new RangeError") + 1);
    expect(findings[0]!.message).toContain("RangeError: too big: 1");
    expect(findings[0]!.hint).toContain(`docs/guide.md:${throwLine}:`);
    expect(findings[0]!.hint).toContain(`docs/guide.md:${lineOf(page, "check(value)")}:`);
  });

  const rejection = "# P\n\n" + fence("ts", "async function fail(): Promise<void> { throw new Error('async nope'); }\nvoid fail();\n");
  PAGES["docs/rejection.md"] = rejection;
  it("reports an unhandled rejection", async () => {
    const page = rejection;
    const { findings } = await pageRun("docs/rejection.md");
    expect(rules(findings)).toEqual(["run/unhandled-rejection"]);
    expect(findings[0]!.message).toContain("async nope");
    expect(findings[0]!.place.start.line).toBe(lineOf(page, "throw new Error"));
  });

  PAGES["docs/expect-throw.md"] = [
    "# P",
    fence("ts expect-throw", "const ok = 1;"),
    fence('ts expect-throw="TypeError: bad input"', "throw new RangeError('out of range');"),
    fence('ts expect-throw="TypeError: bad input"', "throw new TypeError('bad input');"),
    fence("ts expect-throw", "await Promise.reject(new Error('any'));"),
  ].join("\n");
  it("checks expect-throw: missing throw, wrong error, and the right error", async () => {
    const { findings, blocks } = await pageRun("docs/expect-throw.md");
    expect(rules(findings)).toEqual(["run/expected-throw", "run/expected-throw"]);
    expect(findings.map((f) => f.blockId).sort()).toEqual([blocks[0]!.id, blocks[1]!.id].sort());
  });

  const output = [
    "# P",
    fence("ts", "console.log('one');\nconsole.log('two');"),
    fence("output", "one\n2"),
    fence("ts", "console.log('same');   "),
    "```text output\r\nsame   \r\n```\n",
  ].join("\n");
  PAGES["docs/output.md"] = output;
  it("compares stdout with the output fence and shows a diff", async () => {
    const page = output;
    const { findings, outputs, blocks } = await pageRun("docs/output.md");
    expect(rules(findings)).toEqual(["run/output-mismatch"]);
    expect(findings[0]!.message).toContain("-2");
    expect(findings[0]!.message).toContain("+two");
    expect(findings[0]!.place.start.line).toBe(lineOf(page, "```output"));
    expect(outputs.get(blocks[0]!.id)).toBe("one\ntwo\n");
  });

  const values = "# P\n\n" + fence("ts", "const xs = [1, 2, 3];\nxs.length; // => 3\nxs.map((x) => x * 2); // => [ 2, 4, 6 ]\n({ a: 'b' }).a; // => 'c'\nawait Promise.resolve(5) // => 5");
  PAGES["docs/values.md"] = values;
  it("checks `// =>` value comments at their line", async () => {
    const page = values;
    const { findings } = await pageRun("docs/values.md");
    expect(rules(findings)).toEqual(["run/output-mismatch"]);
    expect(findings[0]!.place.start.line).toBe(lineOf(page, "({ a: 'b' })"));
    expect(findings[0]!.message).toContain("'b'");
  });

  const exit = ["# P", fence("ts", "console.log('first');"), fence("ts", "console.log('bye');\nprocess.exit(0);"), fence("ts", "console.log('never');")].join("\n");
  PAGES["docs/exit.md"] = exit;
  it("reports process.exit(0) mid-page as run/exit; later blocks do not run", async () => {
    const page = exit;
    const { findings, ran, blocks } = await pageRun("docs/exit.md");
    expect(rules(findings)).toEqual(["run/exit"]);
    expect(findings[0]!.place.start.line).toBe(lineOf(page, "process.exit(0)"));
    expect(findings[0]!.message).toContain(`line ${blocks[2]!.fence.start.line}`);
    expect(ran).toEqual([blocks[0]!.id, blocks[1]!.id]);
  });

  it("reports a crash by signal and by running out of memory", async () => {
    const root = makeProject({
      "docs/signal.md": "# S\n\n" + fence("ts", "process.kill(process.pid, 'SIGKILL');"),
      "docs/oom.md": "# O\n\n" + fence("ts", "const hog: number[][] = [];\nwhile (true) hog.push(new Array(1e6).fill(1));"),
    });
    const { findings } = await runDocs(root, ["docs/signal.md", "docs/oom.md"], { memoryLimit: 64 });
    expect(findings.map((f) => [f.page, f.ruleId])).toEqual([
      ["docs/signal.md", "run/crash"],
      ["docs/oom.md", "run/crash"],
    ]);
    expect(findings[0]!.message).toContain("SIGKILL");
    expect(findings[1]!.message).toContain("out of memory (limit 64 MB)");
  });

  PAGES["docs/transpile.md"] = ["# P", fence("ts", "const broken = ;"), fence("ts", "console.log('fine');")].join("\n");
  it("reports a block that does not parse as run/transpile and still runs the rest", async () => {
    const { findings, ran, blocks } = await pageRun("docs/transpile.md");
    expect(rules(findings)).toEqual(["run/transpile"]);
    expect(ran).toEqual([blocks[1]!.id]);
  });

  PAGES["docs/skip.md"] = ["# P", fence('ts skip="needs a network"', "throw new Error('a');"), fence("ts no-run", "throw new Error('b');")].join("\n");
  it("skips skip and no-run blocks", async () => {
    const { findings, ran } = await pageRun("docs/skip.md");
    expect(findings).toEqual([]);
    expect(ran).toHaveLength(0);
  });
});

describe("dependency warnings", () => {
  const page = [
    "# P",
    fence("ts", "import { setup } from 'noisy';\n\nsetup();"),
    fence("ts", "import { deprecated, callBack } from 'noisy';\ndeprecated();\ntry { JSON.parse('{'); } catch (err) { console.error('parse failed as documented:', err); }\ncallBack(() => console.warn('my own warning'));"),
  ].join("\n");
  PAGES["docs/noisy.md"] = page;

  it("fails on a warning printed by a dependency, at the calling line, naming the package", async () => {
    const { findings } = await pageRun("docs/noisy.md");
    expect(findings.map((f) => [f.ruleId, f.severity, f.place.start.line])).toEqual([
      ["run/dependency-warning", "error", lineOf(page, "setup();")],
      ["run/dependency-warning", "error", lineOf(page, "deprecated();")],
    ]);
    expect(findings[0]!.message).toContain("`noisy`");
    expect(findings[0]!.message).toContain("noisy: provider missing");
    expect(findings[1]!.message).toContain("DeprecationWarning: old API");
  });

  it("follows the warnings policy and the allowlist", async () => {
    const root = makeProject({ ...NOISY, "docs/p.md": page });
    const warn = await runDocs(root, ["docs/p.md"], { warnings: "warn" });
    expect(warn.findings.map((f) => f.severity)).toEqual(["warning", "warning"]);
    const off = await runDocs(root, ["docs/p.md"], { warnings: "off" });
    expect(off.findings).toEqual([]);
    const allowed = await runDocs(root, ["docs/p.md"], { allowWarnings: ["provider missing", "/^Deprecation\\w+: old/"] });
    expect(allowed.findings).toEqual([]);
  });
});

// --update: only the bodies of stale `output` fences change; every other byte stays.
describe("output-mismatch fixes (--update)", () => {
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
  PAGES["docs/update.md"] = page;

  it("rewrites stale output fences and leaves matching ones and the rest untouched", async () => {
    const { root } = await sharedRun();
    const { findings } = await pageRun("docs/update.md");
    expect(findings.map((f) => f.ruleId)).toEqual(["run/output-mismatch", "run/output-mismatch"]);
    const updated = applyEdits(page, findings.map((f) => f.fix!)).text;
    expect(updated).toBe(
      page.replace("```output\nold\n```", "```output\na\nb\n```").replace("  ```output\n  stale\n  ```", "  ```output\n  x\n  y\n  ```"),
    );
    // Idempotent: once updated, the page runs clean and nothing more changes.
    fs.writeFileSync(`${root}/docs/update.md`, updated);
    const again = await runDocs(root, ["docs/update.md"]);
    expect(again.findings).toEqual([]);
  });
});

describe("environment", () => {
  it("gives a minimal env with placeholders, a fresh cwd, and masks secret values", async () => {
    const secret = "s3cr3t-value-for-tests";
    const saved = { token: process.env.VD_TEST_API_TOKEN, opts: process.env.NODE_OPTIONS, other: process.env.VD_TEST_UNLISTED };
    process.env.VD_TEST_API_TOKEN = secret;
    process.env.VD_TEST_UNLISTED = "x";
    process.env.NODE_OPTIONS = "--no-warnings";
    try {
      const page = [
        "# P",
        fence("ts", [
          "if (process.env.NODE_OPTIONS !== undefined) throw new Error('NODE_OPTIONS leaked');",
          "if (process.env.VD_TEST_UNLISTED !== undefined) throw new Error('unlisted var leaked');",
          "if (process.env.OPENAI_API_KEY !== 'sk-test') throw new Error('placeholder missing');",
          "if (process.cwd() === " + JSON.stringify("ROOT") + ") throw new Error('cwd is the project');",
        ].join("\n")),
        fence("ts", "throw new Error(`bad token ${process.env.VD_TEST_API_TOKEN}`);"),
      ].join("\n");
      const root = makeProject({ "docs/p.md": "" });
      const fs = await import("node:fs");
      fs.writeFileSync(`${root}/docs/p.md`, page.replace("ROOT", root));
      const { findings } = await runDocs(root, ["docs/p.md"], { env: { OPENAI_API_KEY: "sk-test" }, passEnv: ["VD_TEST_API_TOKEN"] });
      expect(rules(findings)).toEqual(["run/threw"]);
      expect(findings[0]!.message).toContain("bad token ***");
      expect(JSON.stringify(findings)).not.toContain(secret);
    } finally {
      for (const [name, value] of [["VD_TEST_API_TOKEN", saved.token], ["NODE_OPTIONS", saved.opts], ["VD_TEST_UNLISTED", saved.other]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
