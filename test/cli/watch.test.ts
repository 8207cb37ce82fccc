// --watch through the real CLI, with the result cache and page context: the first run reports everything; an edit
// to one page prints only that page's result; an edit to an earlier block changes what a later block of its page
// sees; a changed local module or config setup file re-checks the pages that depend on it; Ctrl-C (SIGINT) stops
// it with exit 130 and no process left behind.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { BIN, isAlive, makeProject, TSCONFIG } from "../helpers.js";

it("re-checks what changed and what depends on it, prints only that; SIGINT exits 130", async () => {
  const dir = makeProject({
    "tsconfig.json": TSCONFIG,
    "validate-docs.config.json": JSON.stringify({ setup: { "docs/s/**": "docs/s/setup.ts" } }),
    "src/lib.ts": "export function twice(n: number): number {\n  return n * 2;\n}\n",
    "docs/a.md": "# A\n\n```ts\nconst a: number = 'x';\n```\n",
    "docs/b.md": "# B\n\n```ts\nconsole.log(1);\n```\n",
    "docs/c.md": "# C\n\n```ts\nimport { twice } from '../src/lib';\nconst n: number = twice(2);\n```\n",
    "docs/d.md": "# D\n\n```ts\nconst base = 1;\n```\n\nLater:\n\n```ts\nconst x: number = base;\n```\n",
    "docs/s/setup.ts": "const client = { key: 'k' };\n",
    "docs/s/e.md": "# E\n\n```ts\nconst k: string = client.key;\n```\n",
  });
  const child = spawn(process.execPath, [BIN, "--no-color", "--watch", "--no-run", "--reporter", "console,json"], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: "1", CI: "true" },
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const waitFor = async (re: RegExp, from: number) => {
    const until = Date.now() + 150_000;
    while (!re.test(out.slice(from))) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${re}; output so far:\n${out}`);
      if (child.exitCode !== null) throw new Error(`watch exited early (${child.exitCode}):\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return out.slice(from);
  };
  /** Writes a file and returns the output of the cycle it starts, up to the summary line matching `summary`. */
  const edit = async (file: string, text: string, summary: RegExp) => {
    const mark = out.length;
    fs.writeFileSync(path.join(dir, file), text);
    return waitFor(new RegExp(`${summary.source}[^\\n]*\\n`), mark);
  };
  try {
    const first = await waitFor(/watching \. for changes/, 0);
    expect(first).toContain("docs/a.md:4:7 error ts2322");
    expect(first).toContain("✖ 1 error in 1 of 5 pages");

    // Edit b.md: only its result is printed (a.md still fails, but did not change).
    let cycle = await edit("docs/b.md", "# B\n\n```ts\nconst b: string = 2;\n```\n", /✖ 2 errors in 2 of 5 pages/);
    expect(cycle).toContain("── changed: docs/b.md");
    expect(cycle).toContain("docs/b.md:4:7 error ts2322");
    expect(cycle).not.toContain("docs/a.md");
    expect(fs.readFileSync(path.join(dir, "reports/index.json"), "utf8")).toContain("docs/b.md#L3-L5");

    // A local module changes its signature: the page that imports it is checked again and now fails.
    cycle = await edit("src/lib.ts", "export function twice(n: number): string {\n  return String(n * 2);\n}\n", /✖ 3 errors in 3 of 5 pages/);
    expect(cycle).toContain("── changed: src/lib.ts");
    expect(cycle).toContain("docs/c.md:5:7 error ts2322");
    expect(cycle).not.toMatch(/docs\/[abde]\.md:\d+/);

    // Page context: the earlier block of d.md changes, and the later block (unchanged) now fails on what it sees.
    cycle = await edit("docs/d.md", "# D\n\n```ts\nconst base = 'one';\n```\n\nLater:\n\n```ts\nconst x: number = base;\n```\n", /✖ 4 errors in 4 of 5 pages/);
    expect(cycle).toContain("docs/d.md:10:7 error ts2322");
    expect(cycle).not.toMatch(/docs\/[abc]\.md:\d+/);

    // A config setup file changes: the page it applies to is checked again.
    cycle = await edit("docs/s/setup.ts", "const client = { key: 1 };\n", /✖ 5 errors in 5 of 6 pages|✖ 5 errors in 5 of 5 pages/);
    expect(cycle).toContain("── changed: docs/s/setup.ts");
    expect(cycle).toContain("docs/s/e.md:4:7 error ts2322");
    expect(cycle).not.toMatch(/docs\/[abcd]\.md:\d+/);

    // Fixing a.md prints that it is clean now.
    cycle = await edit("docs/a.md", "# A\n\n```ts\nconst a: number = 1;\n```\n", /✖ 4 errors in 4 of \d pages/);
    expect(cycle).toContain("docs/a.md: no findings now");
  } finally {
    child.kill("SIGINT");
  }
  expect(await exited).toBe(130);
  expect(isAlive(child.pid!)).toBe(false);
}, 600_000);
