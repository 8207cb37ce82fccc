// env=browser through the real CLI on temp projects (issue 14, item 4): browser code runs under the DOM
// implementation installed in the user's project (happy-dom here, this repository's devDependency linked in), fresh
// per page, with the network policy still applying; a DOM bug still fails; without configuration browser-only code
// stops at type-check as before; without a DOM package the author is told what to install. One project and one run
// for both tests: happy-dom is installed for docs/ only (docs/node_modules), so the README at the root resolves no DOM
// implementation, as in a project without one; each test reads its own pages.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckResult, Finding, PageResult } from "../../src/types.js";
import { fencedPage, once, REPO, TSCONFIG_DOM, makeProject, readJson, runCli } from "../helpers.js";

const pageOf = (head: string, blocks: [string, string, string?][]) => fencedPage(`${head}# Page

`, blocks);

/** Links a package of this repository's node_modules, and the packages it depends on, into `dir`/node_modules. */
function linkPackage(dir: string, name: string): void {
  const real = path.join(REPO, "node_modules", name);
  const manifest = JSON.parse(fs.readFileSync(path.join(real, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  const target = path.join(dir, "node_modules", name);
  if (fs.existsSync(target)) return;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.symlinkSync(real, target, "dir");
  for (const dep of Object.keys(manifest.dependencies ?? {})) {
    if (!dep.startsWith("@types/") && fs.existsSync(path.join(REPO, "node_modules", dep))) linkPackage(dir, dep);
  }
}

const BASE = { "package.json": JSON.stringify({ name: "web-docs", type: "module" }), "tsconfig.json": TSCONFIG_DOM };

const web = pageOf("<!-- validate-docs: env-file=browser -->\n", [
  /* 0 */ ["ts", 'const el = document.createElement("div");\nel.id = "app";\nel.textContent = "Hello";\ndocument.body.append(el);\nconsole.log(document.querySelector("#app")?.textContent, window.location.href);', "Hello http://localhost/"],
  /* 1 */ ["ts", 'localStorage.setItem("k", "v");\nlet clicks = 0;\ndocument.body.addEventListener("click", () => clicks++);\ndocument.body.dispatchEvent(new Event("click"));\nconsole.log(localStorage.getItem("k"), clicks, navigator.userAgent.length > 0);', "v 1 true"],
  /* 2 */ ["js", 'document.getElementById("missing").textContent = "x";'], // a DOM bug: fails when run
  /* 3 */ ["ts", 'document.getElementByID("app");'], // a DOM bug the checker sees (the DOM lib)
  /* 4 */ ["js", 'const res = await fetch("https://api.example.com/items");\nconsole.log(res.status);'], // network policy
]);
const fresh = pageOf("<!-- validate-docs: env-file=browser -->\n", [["js", 'console.log(document.getElementById("app"), localStorage.length);', "null 0"]]);
const plain = pageOf("", [["ts", 'document.title = "Hello";']]);
const configured = pageOf("", [["js", 'document.title = "From config";\nconsole.log(document.title);', "From config"]]);
// The DOM is made global before the page's first browser block; blocks before it run in plain Node.
const blockAttr = pageOf("", [["js", "console.log(typeof window);", "undefined"], ["js env=browser", 'console.log(typeof window, typeof document.body);', "object object"]]);

const blockAt = (page: PageResult, line: number) => page.blocks.find((b) => b.line === line)!;
const errorsAt = (page: PageResult, line: number): string[] =>
  page.findings.filter((f: Finding) => f.blockId === blockAt(page, line).id && f.severity === "error").map((f) => f.ruleId);

/** Browser blocks where no DOM implementation is installed, and a bad env value. */
const noDom = pageOf("", [["ts env=browser", 'document.title = "Hello";'], ["ts env=browser", "console.log(window.innerWidth);"], ["js env=chrome", "console.log(1);"]]);

const browserRun = once(() => {
  const dir = makeProject({
    ...BASE,
    "validate-docs.config.json": JSON.stringify({ environment: { "docs/configured/**": "browser" } }),
    "docs/web.md": web.text,
    // After docs/web.md in the sorted page order ("web-fresh.md" would sort before "web.md" and run first).
    "docs/z-fresh.md": fresh.text,
    "docs/plain.md": plain.text,
    "docs/configured/page.md": configured.text,
    "docs/block.md": blockAttr.text,
    // Outside docs/: no happy-dom or jsdom where the README resolves packages.
    "README.md": noDom.text,
  });
  linkPackage(path.join(dir, "docs"), "happy-dom");
  // --concurrency 1: one runner process runs the pages one after another, so docs/z-fresh.md runs after docs/web.md
  // in the same process and would see what web.md left in a DOM that is not fresh per page.
  const r = runCli(["--reporter", "json,console", "--concurrency", "1"], dir);
  const index = readJson<CheckResult>(`${dir}/reports/index.json`);
  return { r, index, page: (p: string) => index.pages.find((x) => x.page === p)! };
});

describe("env=browser", () => {
  it("runs browser code under the project's happy-dom, fresh per page, with the network policy; DOM bugs fail; unconfigured browser code stops at type-check", () => {
    const { r, index, page } = browserRun();
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(index.pages.map((p) => p.page).sort()).toEqual(["README.md", "docs/block.md", "docs/configured/page.md", "docs/plain.md", "docs/web.md", "docs/z-fresh.md"]);

    const w = page("docs/web.md");
    const row = (i: number) => ({ level: blockAt(w, web.lines[i]!).level, reason: blockAt(w, web.lines[i]!).stop?.reason ?? null, errors: errorsAt(w, web.lines[i]!) });
    // Output fences prove the DOM ran: elements, location, events, storage, navigator.
    expect(row(0)).toEqual({ level: "run", reason: null, errors: [] });
    expect(row(1)).toEqual({ level: "run", reason: null, errors: [] });
    expect(row(2)).toEqual({ level: "run", reason: null, errors: ["run/threw"] });
    expect(w.findings.find((f) => f.ruleId === "run/threw")!.message).toContain("Cannot set properties of null");
    expect(row(3)).toEqual({ level: "run", reason: null, errors: ["run/threw", "ts2551"] });
    // fetch from the DOM environment is blocked like any other: needs network, a warning.
    expect(row(4)).toEqual({ level: "typecheck", reason: "needs-network", errors: [] });
    expect(w.findings.filter((f) => f.ruleId === "run/network").map((f) => f.severity)).toEqual(["warning"]);

    // A fresh DOM per page: the element and the storage entry of docs/web.md are not here.
    expect(index.pages.map((p) => p.page).indexOf("docs/z-fresh.md")).toBeGreaterThan(index.pages.map((p) => p.page).indexOf("docs/web.md"));
    expect(errorsAt(page("docs/z-fresh.md"), fresh.lines[0]!)).toEqual([]);
    expect(blockAt(page("docs/z-fresh.md"), fresh.lines[0]!).level).toBe("run");
    // Without configuration, browser-only code stops at type-check with its reason, as before.
    expect(blockAt(page("docs/plain.md"), plain.lines[0]!)).toMatchObject({ level: "typecheck", stop: { reason: "browser-only" } });
    // Config `environment` per glob, and `env=browser` on one block (the block before it ran in plain Node).
    expect(blockAt(page("docs/configured/page.md"), configured.lines[0]!)).toMatchObject({ level: "run", status: "passed" });
    const b = page("docs/block.md");
    expect(b.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(b.blocks.map((x) => x.level)).toEqual(["run", "run"]);
  });

  it("without happy-dom or jsdom installed, says what to install; a bad env value is an attribute error", () => {
    const { r, index, page } = browserRun();
    expect(r.code).toBe(1);
    const p = page("README.md");
    const noDomFindings = p.findings.filter((f) => f.ruleId === "run/no-dom");
    expect(noDomFindings).toHaveLength(1); // once per page
    expect(noDomFindings[0]!.severity).toBe("error");
    expect(noDomFindings[0]!.message).toContain("npm install --save-dev happy-dom");
    // Only that page: the pages under docs/ resolve happy-dom.
    expect(index.pages.flatMap((x) => x.findings.filter((f) => f.ruleId === "run/no-dom").map((f) => f.page))).toEqual(["README.md"]);
    expect(r.stdout).toContain(`README.md:${noDom.lines[0]}:1 error run/no-dom`);
    expect(p.blocks.slice(0, 2).map((x) => [x.level, x.stop?.reason])).toEqual([["typecheck", "browser-only"], ["typecheck", "browser-only"]]);
    expect(p.blocks[1]!.stop!.detail).toContain("no DOM implementation (happy-dom or jsdom) is installed");
    const bad = p.findings.find((f) => f.ruleId === "extract/bad-attribute");
    expect(bad?.message).toContain("`browser`");
  });
});
