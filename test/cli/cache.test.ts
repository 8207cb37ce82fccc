// The result cache through the real CLI on a temp project: an unchanged re-run does no type-check, rule or run
// work and reports the same result; changing an imported local module or a dependency's version re-checks exactly
// the pages that import it; rule config re-lints without re-checking types; --no-cache checks everything; two
// concurrent runs on one cache agree. Every block appends to a log when it runs, so "did not run" is observed.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, makeProject, readJson, runCli } from "../helpers.js";

interface Index {
  pages: { page: string; findings: { ruleId: string; severity: string }[]; blocks: { status: string; checks: string[] }[] }[];
  summary: { errors: number; blocks: number };
  timings: Record<string, number>;
  cache?: { extract: { hits: number; misses: number }; typecheck: { hits: number; misses: number }; lint: { hits: number; misses: number }; run: { hits: number; misses: number } };
}

const fence = (code: string): string => "```ts\n" + code.trim() + "\n```\n";

function project(): { root: string; log: string } {
  const root = makeProject({}, "vd-cache-");
  const log = path.join(root, "runs.log");
  const append = (name: string) => `appendFileSync(${JSON.stringify(log)}, "${name}\\n");`;
  const files: Record<string, string> = {
    "package.json": JSON.stringify({ name: "cache-docs", private: true, type: "module" }),
    // Blocks append to runs.log in the project: the sandbox lets them write there.
    "validate-docs.config.json": JSON.stringify({ sandbox: { write: ["."] } }),
    "tsconfig.json": JSON.stringify({
      compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, lib: ["ES2022"], types: ["node"], skipLibCheck: true },
    }),
    // An ambient type package (what `types: ["node"]` loads) with just what the blocks use: the whole @types/node
    // would add ≈ 0.5 s of CPU to every cold run, and the cache treats either as an @types package and its version.
    "node_modules/@types/node/package.json": JSON.stringify({ name: "@types/node", version: "20.0.0", types: "index.d.ts" }),
    "node_modules/@types/node/index.d.ts":
      'declare var console: { log(...data: any[]): void };\ndeclare module "node:fs" { export function appendFileSync(path: string, data: string): void; }\n',
    "src/util.ts": "export function double(n: number): number {\n  return n * 2;\n}\n",
    "node_modules/dep/package.json": JSON.stringify({ name: "dep", version: "1.0.0", type: "module", main: "index.js", types: "index.d.ts" }),
    "node_modules/dep/index.js": "export const greet = (name) => `hi ${name}`;\n",
    "node_modules/dep/index.d.ts": "export declare const greet: (name: string) => string;\n",
    "docs/local.md": "# Local\n\n" + fence(`import { appendFileSync } from "node:fs";\nimport { double } from "../src/util.ts";\n${append("local")}\nconst n: number = double(2);\nconsole.log(n);`),
    "docs/package.md": "# Package\n\n" + fence(`import { appendFileSync } from "node:fs";\nimport { greet } from "dep";\n${append("package")}\nconsole.log(greet("docs"));`),
    "docs/plain.md": "# Plain\n\n" + fence(`import { appendFileSync } from "node:fs";\n${append("plain")}\nconst list = [1, 2, 3];\nconsole.log(list.length);`),
  };
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return { root, log };
}

const runs = (log: string): string[] => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").sort() : []);

function check(root: string, args: string[] = []): { code: number | null; index: Index } {
  const r = runCli(["--reporter", "json", ...args], root);
  expect(r.stderr).toBe("");
  return { code: r.code, index: readJson<Index>(path.join(root, "reports/index.json")) };
}

/** The result without what legitimately differs between a cold and a warm run. */
const verdict = (index: Index) => ({ pages: index.pages, summary: index.summary });

describe("result cache", () => {
  it("re-runs nothing when nothing changed, and re-checks exactly the pages whose imports changed", () => {
    const { root, log } = project();
    const cold = check(root);
    expect(cold.code).toBe(0);
    expect(cold.index.summary.errors).toBe(0);
    expect(cold.index.cache).toEqual({ extract: { hits: 0, misses: 3 }, typecheck: { hits: 0, misses: 3 }, lint: { hits: 0, misses: 3 }, run: { hits: 0, misses: 3 } });
    expect(runs(log)).toEqual(["local", "package", "plain"]);
    expect(fs.readdirSync(path.join(root, "node_modules/.cache/validate-docs")).length).toBeGreaterThan(0);

    // Unchanged: every result from the cache; no program, no checker, no rules, no example process.
    const warm = check(root);
    expect(warm.code).toBe(0);
    expect(warm.index.cache).toEqual({ extract: { hits: 3, misses: 0 }, typecheck: { hits: 3, misses: 0 }, lint: { hits: 3, misses: 0 }, run: { hits: 3, misses: 0 } });
    for (const stage of ["program", "typecheck", "lint", "run"]) expect(warm.index.timings[stage]).toBeUndefined();
    expect(runs(log)).toEqual(["local", "package", "plain"]);
    expect(verdict(warm.index)).toEqual(verdict(cold.index));

    // An imported local module changes (now returns a string): only the page importing it is checked and run.
    fs.writeFileSync(path.join(root, "src/util.ts"), "export function double(n: number): string {\n  return String(n * 2);\n}\n");
    const local = check(root);
    expect(local.code).toBe(1);
    expect(local.index.cache).toEqual({ extract: { hits: 3, misses: 0 }, typecheck: { hits: 2, misses: 1 }, lint: { hits: 2, misses: 1 }, run: { hits: 2, misses: 1 } });
    expect(runs(log)).toEqual(["local", "local", "package", "plain"]);
    const localPage = local.index.pages.find((p) => p.page === "docs/local.md")!;
    expect(localPage.findings.map((f) => f.ruleId)).toEqual(["ts2322"]);

    // A dependency's version changes: only the page importing the package is checked and run.
    const pkg = path.join(root, "node_modules/dep/package.json");
    fs.writeFileSync(pkg, fs.readFileSync(pkg, "utf8").replace('"1.0.0"', '"1.0.1"'));
    const dep = check(root);
    expect(dep.code).toBe(1);
    expect(dep.index.cache).toEqual({ extract: { hits: 3, misses: 0 }, typecheck: { hits: 2, misses: 1 }, lint: { hits: 2, misses: 1 }, run: { hits: 2, misses: 1 } });
    expect(runs(log)).toEqual(["local", "local", "package", "package", "plain"]);
    // The cached failure of docs/local.md is still reported: a warm run has the same exit code and findings.
    expect(dep.index.summary.errors).toBe(1);

    // Rule configuration changes: every block is linted again, types and runs come from the cache.
    fs.writeFileSync(path.join(root, "validate-docs.config.json"), JSON.stringify({ sandbox: { write: ["."] }, rules: { "no-floating-promise": "off" } }));
    const rules = check(root);
    expect(rules.index.cache).toEqual({ extract: { hits: 3, misses: 0 }, typecheck: { hits: 3, misses: 0 }, lint: { hits: 0, misses: 3 }, run: { hits: 3, misses: 0 } });
    expect(runs(log)).toHaveLength(5);

    // Prose added after the block: the page is parsed again, its block (same text, same place) is not re-checked.
    fs.appendFileSync(path.join(root, "docs/plain.md"), "\nMore prose after the example.\n");
    const prose = check(root);
    expect(prose.index.cache).toEqual({ extract: { hits: 2, misses: 1 }, typecheck: { hits: 3, misses: 0 }, lint: { hits: 3, misses: 0 }, run: { hits: 3, misses: 0 } });
    expect(runs(log)).toHaveLength(5);

    // --no-cache checks and runs everything and reports no cache use.
    const off = check(root, ["--no-cache"]);
    expect(off.index.cache).toBeUndefined();
    expect(off.index.timings.typecheck).toBeGreaterThanOrEqual(0);
    expect(runs(log)).toHaveLength(8);
    expect(verdict(off.index)).toEqual(verdict(rules.index));
  });

  it("stays consistent when two runs share one cache at the same time", async () => {
    const { root, log } = project();
    const once = (out: string) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [BIN, "--no-color", "--reporter", "json", "--out", out], { cwd: root, stdio: "ignore" });
        child.on("exit", (code) => resolve(code));
      });
    const codes = await Promise.all([once("reports-a"), once("reports-b")]);
    expect(codes).toEqual([0, 0]);
    const a = readJson<Index>(path.join(root, "reports-a/index.json"));
    const b = readJson<Index>(path.join(root, "reports-b/index.json"));
    expect(verdict(a)).toEqual(verdict(b));
    // No torn entries: the next run reads every entry back.
    const after = check(root);
    expect(after.index.cache).toEqual({ extract: { hits: 3, misses: 0 }, typecheck: { hits: 3, misses: 0 }, lint: { hits: 3, misses: 0 }, run: { hits: 3, misses: 0 } });
    expect(verdict(after.index)).toEqual(verdict(a));
    expect(runs(log).length).toBeGreaterThanOrEqual(3);
    const leftovers = fs.readdirSync(path.join(root, "node_modules/.cache/validate-docs"), { recursive: true }).filter((f) => String(f).endsWith(".tmp"));
    expect(leftovers).toEqual([]);
  });
});
