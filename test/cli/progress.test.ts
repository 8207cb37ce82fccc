// Progress on a terminal: through the real CLI under a pseudo-terminal (util-linux `script`), the line is drawn
// and redrawn in place on stderr and removed at the end; piped, under CI=true or with --quiet nothing is drawn.
import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";
import { createProgress } from "../../src/progress.js";
import { BIN, makeProject, once, runCli, TSCONFIG } from "../helpers.js";

const PAGES = {
  "tsconfig.json": TSCONFIG,
  "docs/a.md": "```ts\nconsole.log(1);\n```\n",
  "docs/b.md": "```ts\nconsole.log(2);\n```\n",
};

/** The CLI on a pseudo-terminal: what the terminal received (stdout and stderr together). */
function onTty(args: string[], cwd: string, env: Record<string, string | undefined> = {}): { code: number | null; screen: string } {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete base[k];
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const r = spawnSync("script", ["-qfec", quoted, "/dev/null"], { cwd, env: base, encoding: "utf8", timeout: 170_000 });
  return { code: r.status, screen: r.stdout };
}

/**
 * One project for both CLI tests. The terminal test runs first (its pages must really run, not come from the result
 * cache); the runs of the silent test then come from the cache, which draws the line too when it should (discover
 * and extract always run).
 */
const project = once(() => makeProject(PAGES));

it("on a terminal the progress line shows the stages and pages run, redrawn in place, then is cleared", () => {
  const dir = project();
  const r = onTty(["--reporter", "console"], dir, { CI: undefined, GITHUB_ACTIONS: undefined });
  expect(r.code).toBe(0);
  expect(r.screen).toMatch(/\r\u001b\[2Kvalidate-docs: (discover|extract|typecheck and lint)/);
  expect(r.screen).toMatch(/validate-docs: run · [0-2]\/2 pages run · \d+\.\d s/);
  // The last thing drawn before the report (the levels line, then the summary) is the clearing of the line.
  expect(r.screen).toMatch(/\r\u001b\[2K(levels: [^\n]*\n)?✔ no errors[^\n]*\n$/);
});

it("silent when piped, under CI=true and with --quiet", () => {
  const dir = project();
  const piped = runCli(["--reporter", "console"], dir, { CI: "" });
  expect(piped.code).toBe(0);
  expect(piped.stderr).not.toContain("validate-docs:");
  const ci = onTty(["--reporter", "console"], dir, { CI: "true" });
  expect(ci.code).toBe(0);
  expect(ci.screen).not.toContain("validate-docs:");
  const quiet = onTty(["--reporter", "console", "--quiet"], dir, { CI: undefined });
  expect(quiet.code).toBe(0);
  expect(quiet.screen).not.toContain("validate-docs:");
  expect(quiet.screen).toContain("✔ no errors");
});

it("the line fits the terminal width and counts pages", () => {
  const writes: string[] = [];
  let t = 0;
  const stream = { columns: 40, write: (s: string) => (writes.push(s), true) } as unknown as NodeJS.WritableStream & { columns: number };
  const p = createProgress(stream, () => t);
  p.stage("typecheck");
  p.pages(3);
  t = 2500;
  p.pageDone();
  expect(writes.at(-1)).toBe(`\r\u001b[2K${"validate-docs: typecheck · 1/3 pages run · 2.5 s".slice(0, 39)}`);
  p.done();
  expect(writes.at(-1)).toBe("\r\u001b[2K");
  expect(writes.every((w) => w.replace("\r\u001b[2K", "").length < 40)).toBe(true);
});
