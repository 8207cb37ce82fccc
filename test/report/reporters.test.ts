// One shared result rendered by every reporter; outputs compared with file snapshots (DESIGN §4). Reporters are
// pure, so the same input must give byte-identical output, and no reporter may drop a finding.
import { describe, expect, it } from "vitest";
import { reporters } from "../../src/report/index.js";
import { passedText } from "../../src/report/console.js";
import { pageReportPath } from "../../src/report/paths.js";
import { pages, result, sources } from "./fixture.js";



describe.each(Object.keys(reporters))("%s reporter", (id) => {
  const render = () => reporters[id]!.render(result, { sources, color: false });

  it("is pure: the same result renders byte-identically", () => {
    expect(render()).toEqual(render());
  });

  it("matches its snapshot", async () => {
    for (const file of render()) {
      await expect(file.content).toMatchFileSnapshot(`__snapshots__/${id}/${file.path ?? `${file.destination ?? "stdout"}.txt`}`);
    }
  });
});

it("json: index holds the whole result and each page file holds every finding of its page", () => {
  const files = reporters.json!.render(result, {});
  expect(JSON.parse(files.find((f) => f.path === "index.json")!.content)).toEqual(result);
  for (const page of pages) {
    const file = files.find((f) => f.path === pageReportPath(page.page, "json"))!;
    expect(JSON.parse(file.content).findings).toEqual(page.findings);
  }
});

it("console: every non-info finding is printed at page:line:col, infos are left to the files", () => {
  const out = reporters.console!.render(result, { sources })[0]!.content;
  expect(out).toContain("docs/guide.md:4:21 error ts2353");
  expect(out).toContain("docs/guide.md:11:1 error run/output-mismatch");
  expect(out).toContain("docs/guide.md:4:1 warning no-deprecated");
  expect(out).not.toContain("docs/skip.md:6:7");
  expect(out.trimEnd().split("\n").pop()).toBe(
    "✖ 2 errors, 1 warning in 1 of 3 pages · 4 blocks: 1 passed (typecheck 1), 2 failed, 1 skipped · 1 other-language fence · 150 ms",
  );
});

it("passed says how far the passed blocks were checked, in the same words in every report", () => {
  const below = "1 passed (typecheck 1)";
  expect(reporters.console!.render(result, { sources })[0]!.content).toContain(`4 blocks: ${below}, 2 failed`);
  expect(reporters.markdown!.render(result, {}).find((f) => f.path === "index.md")!.content).toContain(`4 block(s): ${below}, 2 failed`);
  expect(reporters.github!.render(result, {}).map((f) => f.content).join("\n")).toContain(`4 block(s): ${below}, 2 failed`);
  const json = JSON.parse(reporters.json!.render(result, {}).find((f) => f.path === "index.json")!.content);
  expect(json.summary.passedLevels).toMatchObject({ typecheck: 1, run: 0 });
  // Every passed block ran: no breakdown; a result from before the counts existed: the plain count.
  const ran = { ...result.summary, passed: 3, passedLevels: { none: 0, parse: 0, resolve: 0, typecheck: 0, run: 3 } };
  expect(passedText(ran)).toBe("3 passed");
  const mixed = { ...ran, passed: 12, passedLevels: { none: 0, parse: 1, resolve: 0, typecheck: 3, run: 8 } };
  expect(passedText(mixed)).toBe("12 passed (run 8 · typecheck 3 · parse 1)");
  const { passedLevels: _, ...older } = result.summary;
  expect(passedText(older as typeof result.summary)).toBe("1 passed");
});

it("markdown: a page report keeps multi-line messages and escapes table syntax and HTML", () => {
  const files = reporters.markdown!.render(result, {});
  const page = files.find((f) => f.path === pageReportPath("docs/guide.md", "md"))!.content;
  expect(page).toContain("-hello \\| world<br>+hi &lt;b&gt;");
  expect(files.find((f) => f.path === "index.md")!.content).toContain("| [docs/off.md](pages/docs/off.md.md) | skipped |");
});
