// A small type-check + lint runs on the main thread instead of the analysis worker thread (src/analyze/threaded.ts,
// docs/performance.md): the same reports either way, and the limit decides which (VALIDATE_DOCS_DEBUG=analyze says
// where it ran). A signal while the main thread checks: test/cli/interrupt.test.ts.
import path from "node:path";
import { expect, it } from "vitest";
import { TSCONFIG, fence, makeProject, readJson, runCli } from "../helpers.js";

it("the main thread and the worker thread give the same reports; at most VALIDATE_DOCS_ANALYZE_INLINE blocks run on the main thread", () => {
  const dir = makeProject({
    "package.json": JSON.stringify({ name: "docs", type: "module" }),
    "tsconfig.json": TSCONFIG,
    // A type error, a deprecated function, a floating promise, a block using an earlier one's function (page
    // context), an output checked by the run.
    "docs/a.md": [
      "# A\n\n",
      fence("ts", 'const n: number = "one";\nconsole.log(n);'),
      "\n",
      fence("ts", "/** @deprecated use twice */\nfunction double(x: number) {\n  return x * 2;\n}\nconsole.log(double(1));\nasync function later() {}\nlater();"),
      "\n",
      fence("ts", "console.log(double(2));"),
    ].join(""),
    "docs/b.md": "# B\n\n" + fence("ts", "const b: number = 1;\nconsole.log(b + 1);") + "\n" + fence("text output", "2"),
  });
  const cli = (name: string, limit: string) => {
    const r = runCli(["--no-cache", "--reporter", "console", "--reporter", `json=${path.join(dir, "out", name)}`, "docs"], dir, {
      VALIDATE_DOCS_DEBUG: "analyze",
      VALIDATE_DOCS_ANALYZE_INLINE: limit,
    });
    expect(r.code).toBe(1);
    for (const id of ["ts2322", "no-floating-promise", "no-deprecated"]) expect(r.stdout).toContain(id);
    const index = readJson<{ pages: unknown[]; summary: unknown }>(path.join(dir, "out", name, "index.json"));
    return { stderr: r.stderr, results: { pages: index.pages, summary: index.summary } };
  };
  // The program holds the 4 blocks: with a limit of 4 they are checked on the main thread, with 3 on a worker thread.
  const inline = cli("inline", "4");
  expect(inline.stderr).toContain("validate-docs: analyze: type-check and lint on the calling thread (4 blocks in 1 program(s), inline limit 4)");
  const threaded = cli("threaded", "3");
  expect(threaded.stderr).toContain("validate-docs: analyze: type-check and lint on a worker thread (4 blocks in 1 program(s), inline limit 3)");
  expect(inline.results).toEqual(threaded.results);
});
