// The HTML report in a real headless Chromium (Debian's `chromium`, driven by playwright-core): it renders from the
// one self-contained file with no network request, every filter narrows the findings, finding text is never
// parsed as markup, and a screenshot is kept in test/artifacts/ for a person to look at.
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { htmlReporter } from "../../src/report/html.js";
import type { CheckResult } from "../../src/types.js";
import { makeProject, REPO } from "../helpers.js";
import { result, sources } from "./fixture.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = path.join(REPO, "test/artifacts");

/** The fixture plus what later results carry: a check level per block, and a message that looks like markup. */
const withLevels: CheckResult = {
  ...result,
  pages: result.pages.map((p) => ({
    ...p,
    blocks: p.blocks.map((b, i) => ({ ...b, level: i === 0 ? "typecheck" : "run" })),
    findings: p.findings.map((f) => (f.ruleId === "no-deprecated" ? { ...f, message: `${f.message} <img src=x onerror="document.title='pwned'">` } : f)),
  })),
};

let browser: Browser;
const requests: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});
afterAll(async () => {
  await browser?.close();
});

async function open(r: CheckResult): Promise<Page> {
  const dir = makeProject({});
  const file = path.join(dir, "reports", "index.html");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, htmlReporter.render(r, { sources, rootLink: "../" })[0]!.content);
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on("request", (req) => requests.push(req.url()));
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`file://${file}`);
  await page.waitForSelector("#shown");
  expect(errors).toEqual([]);
  return page;
}

const visibleFindings = (page: Page) =>
  page.$$eval(".finding:not(.hidden)", (els) => els.map((e) => `${e.getAttribute("data-severity")} ${e.getAttribute("data-rule")}`));
const visiblePages = (page: Page) => page.$$eval("#pages tbody tr:not(.hidden)", (els) => els.map((e) => e.getAttribute("data-page")));

describe("html report in headless Chromium", () => {
  it("renders the verdict, counts, the page table and every finding with its code frame; no network", async () => {
    requests.length = 0;
    const page = await open(result);
    expect(await page.textContent("#verdict")).toBe("✖ 2 errors");
    expect(await page.textContent('[data-count="blocks"]')).toBe("blocks: 4");
    expect(await page.textContent('[data-count="passed"]')).toBe("passed: 1 (typecheck 1)");
    expect(await visiblePages(page)).toEqual(["docs/guide.md", "docs/skip.md", "docs/off.md"]);
    expect(await page.$$eval("#pages tbody tr", (rows) => rows.map((r) => r.querySelector(".status")!.textContent))).toEqual(["failed", "passed", "skipped"]);
    expect(await visibleFindings(page)).toEqual(["error ts2353", "error run/output-mismatch", "warning no-deprecated", "info ts2322"]);
    expect(await page.textContent("#shown")).toBe("showing 4 of 4 findings");
    const frame = await page.textContent('.finding[data-rule="ts2353"] pre.frame');
    expect(frame).toContain("4 | init({ apiKey: 'k', retries: 3 });");
    // Links go to the page line (relative to the report) and to the rule's doc.
    expect(await page.getAttribute('.finding[data-rule="ts2353"] .head a', "href")).toBe("../docs/guide.md#L4");
    expect(await page.getAttribute('.finding[data-rule="no-deprecated"] a.rule', "href")).toContain("/docs/rules/no-deprecated.md");
    // Blocks carry their check level, so the level filter is offered.
    expect(await page.isVisible("#filter-level")).toBe(true);
    expect(requests.filter((u) => !u.startsWith("file://"))).toEqual([]);
    await page.close();
  });

  it("filters by severity, rule, stage and level; counts and page rows follow", async () => {
    const page = await open(withLevels);
    await page.selectOption("#filter-severity", "warning");
    expect(await visibleFindings(page)).toEqual(["warning no-deprecated"]);
    expect(await visiblePages(page)).toEqual(["docs/guide.md"]);
    expect(await page.textContent('#pages tr[data-page="docs/guide.md"] .nfindings')).toBe("1 of 3");
    expect(await page.textContent("#shown")).toBe("showing 1 of 4 findings");
    await page.selectOption("#filter-severity", "");
    await page.selectOption("#filter-rule", "ts2322");
    expect(await visibleFindings(page)).toEqual(["info ts2322"]);
    expect(await visiblePages(page)).toEqual(["docs/skip.md"]);
    await page.selectOption("#filter-rule", "");
    await page.selectOption("#filter-stage", "run");
    expect(await visibleFindings(page)).toEqual(["error run/output-mismatch"]);
    await page.selectOption("#filter-stage", "");
    expect(await page.isVisible("#filter-level")).toBe(true);
    await page.selectOption("#filter-level", "typecheck");
    expect(await visibleFindings(page)).toEqual(["error ts2353", "warning no-deprecated"]);
    // Two filters at once: both must hold.
    await page.selectOption("#filter-severity", "error");
    expect(await visibleFindings(page)).toEqual(["error ts2353"]);
    await page.selectOption("#filter-level", "");
    await page.selectOption("#filter-severity", "");
    expect(await page.textContent("#shown")).toBe("showing 4 of 4 findings");
    // Message text that looks like markup is text: no element, no script ran.
    expect(await page.$$("img")).toHaveLength(0);
    expect(await page.title()).toBe("validate-docs report");
    expect(await page.textContent('.finding[data-rule="no-deprecated"] .msg')).toContain('<img src=x onerror="document.title=\'pwned\'">');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, "html-report.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    await page.close();
  });
});
