// JavaScript blocks checked against the types of what they use (`check-js=typed`, the default), through the real CLI
// on a temp project with a typed package: real misuse of the package's API is an error at `typecheck`; the noise
// checkJs produces on untyped JavaScript is not, and each exception has a look-alike that must still fail.
// Names declared nowhere grade a block `resolve` (page context lifts fragments to `typecheck`).
import { beforeAll, describe, expect, it } from "vitest";
import type { BlockResult, CheckResult, Finding, PageResult } from "../../src/types.js";
import { TSCONFIG_DOM, makeProject, once, readJson, runCli } from "../helpers.js";

const fence = (meta: string, code: string): string => "```" + meta + "\n" + code.trim() + "\n```\n";
const page = (...blocks: string[]): string => ["# Page", "", ...blocks].join("\n");

const ACME = {
  "node_modules/acme/package.json": JSON.stringify({ name: "acme", version: "1.0.0", type: "module", types: "./index.d.ts", main: "./index.js" }),
  "node_modules/acme/index.d.ts": `export interface ClientOptions { region: string; retries?: number }
export interface Result { id: string }
export interface Args { verbose: boolean }
export declare class Client {
  constructor(options: ClientOptions);
  send(message: string): void;
  fetch(): Promise<Result>;
  on(event: "data", listener: (chunk: string) => boolean): void;
  args(): Args | Promise<Args>;
}
`,
  "node_modules/acme/index.js": `export class Client {
  constructor(options) { this.options = options; }
  send() {}
  async fetch() { return { id: "1" }; }
  on() {}
  args() { return { verbose: true }; }
}
`,
};

const SETUP = 'import { Client } from "acme";\nconst client = new Client({ region: "eu" });\n';

const PAGES = {
  // Real misuse of the typed API: each an error.
  "docs/bugs.md": page(
    fence("js", SETUP + 'client.sendd("hi");'), // a method that does not exist (TS2551, did you mean `send`)
    fence("js", 'import { Client } from "acme";\nnew Client({ regoin: "eu" });'), // an option key that does not exist
    fence("js", SETUP + "client.send(42);"), // a wrong argument type
    fence("js", SETUP + "const { id } = client.fetch();\nconsole.log(id);"), // a missing await
    fence("js", SETUP + "console.log(client.isAlive);"), // look-alike of an expando: never assigned
    fence("js", SETUP + 'client.on("data", function () { return "yes"; });'), // look-alike of an elided body
    fence("js", SETUP + 'const args = client.args();\nconsole.log(args.verbos);'), // look-alike of a union member
  ),
  // What untyped JavaScript produces under checkJs, none of it a misuse of acme's types.
  "docs/noise.md": page(
    fence("js", "function double(a) {\n  return a * 2;\n}\nconsole.log(double(2));"), // implicit any
    fence("js", SETUP + "client.isAlive = true;\nconsole.log(client.isAlive);"), // an expando
    fence("js", 'const input = document.querySelector("#file");\nconsole.log(input.files);'), // the DOM lib's wide types
    fence("js", SETUP + "client.send(process.env.GREETING);"), // strict null checks only
    fence("js", SETUP + 'client.on("data", function () {\n  /* ... */\n});'), // an elided callback body
    fence("js", SETUP + "const args = client.args();\nconsole.log(args.verbose);"), // one member of a union has it
    fence("js", 'const options = {};\noptions.region = "eu";\nconsole.log(options);'), // a JS object filled later
  ),
  // Fragments: names from earlier blocks (page context) reach typecheck; a name declared nowhere stops at resolve.
  "docs/fragments.md": page(
    fence("js", SETUP),
    fence("js", 'client.send("hi");'),
    fence("js", 'client.send("hi");', ).replace("```js", "```js context=none"),
    fence("ts", 'server.listen(8080);'),
  ),
  // Modes: per block, and (with the config below) per page glob.
  "docs/modes.md": page(
    fence("js check-js=off", SETUP + 'client.sendd("hi");'),
    fence("js check-js=full", "function double(a) {\n  return a * 2;\n}"),
    fence("js", '// @ts-nocheck\n' + SETUP + 'client.sendd("hi");'),
  ),
  "docs/legacy/old.md": page(fence("js", SETUP + 'client.sendd("hi");')),
};

function project(config?: object, more: Record<string, string> = {}): string {
  return makeProject({
    "package.json": JSON.stringify({ name: "docs-project", type: "module" }),
    "tsconfig.json": TSCONFIG_DOM,
    ...ACME,
    ...PAGES,
    ...more,
    ...(config ? { "validate-docs.config.json": JSON.stringify(config) } : {}),
  });
}


const pageOf = (report: CheckResult, path: string): PageResult => {
  const found = report.pages.find((p) => p.page === path);
  if (!found) throw new Error(`no report for ${path}`);
  return found;
};
const blockAt = (p: PageResult, i: number): BlockResult => p.blocks[i]!;
const errorsOf = (p: PageResult, i: number): Finding[] => p.findings.filter((f) => f.blockId === blockAt(p, i).id && f.severity === "error");
const codes = (p: PageResult, i: number): string[] => errorsOf(p, i).map((f) => f.ruleId);

/**
 * The config tests' pages: the config's checkJs globs match only docs/cfg/**, where copies of the noise, modes and
 * legacy pages are; the default's pages are outside them.
 */
const CFG_PAGES = { "docs/cfg/noise.md": PAGES["docs/noise.md"], "docs/cfg/modes.md": PAGES["docs/modes.md"], "docs/cfg/legacy/old.md": PAGES["docs/legacy/old.md"] };

/** A fragment of an API page that never imports what it uses: the ReferenceError is the echo of its grade. */
const RUN_PAGE = page(
  fence("js", 'const client = pino({ level: "info" });\nclient.send("hi");'),
  // look-alike: a misspelling of a name the page declares ("Did you mean 'client'?") is a real bug
  fence("js", SETUP + 'clent.send("hi");'),
  // look-alike: a ReferenceError of a name the checker knows (the DOM lib's `alert`) but Node does not have
  fence("js", 'alert("hi");'),
);

/**
 * One project and one run for every test: the type-check tests' pages are checked up to typecheck (the config's
 * `level`; what they assert is the checker's findings and grades), docs/run.md, the run tests' page, up to run.
 */
const shared = once(() => {
  const dir = project({ checkJs: { "docs/cfg/**": "full", "docs/cfg/legacy/**": false }, level: { "docs/**": "typecheck", "docs/run.md": "run" } }, { ...CFG_PAGES, "docs/run.md": RUN_PAGE });
  const r = runCli(["--no-cache", "--reporter", "json"], dir);
  if (r.code === 2) throw new Error(`validate-docs failed: ${r.stderr}`);
  return { r, report: readJson<CheckResult>(`${dir}/reports/index.json`) };
});

describe("JavaScript blocks checked against the types of what they use (check-js=typed, the default)", () => {
  let report: CheckResult;
  beforeAll(() => {
    report = shared().report;
  });

  it("reports real misuse of a typed API as an error at level typecheck", () => {
    const p = pageOf(report, "docs/bugs.md");
    expect(codes(p, 0)).toEqual(["ts2551"]);
    expect(errorsOf(p, 0)[0]!.message).toContain("sendd");
    expect(codes(p, 1)).toEqual(["ts2561"]); // "did you mean `region`"
    expect(errorsOf(p, 1)[0]!.message).toContain("regoin");
    expect(codes(p, 2)).toEqual(["ts2345"]);
    expect(codes(p, 3)).toEqual(["ts2339"]);
    expect(errorsOf(p, 3)[0]!.message).toContain("Promise<Result>");
    expect(codes(p, 4)).toEqual(["ts2339"]);
    expect(codes(p, 5)).toEqual(["ts2345"]);
    expect(codes(p, 6)).toEqual(["ts2339"]);
    for (const b of p.blocks) {
      expect(b.level, b.id).toBe("typecheck");
      expect(b.checks, b.id).toContain("typecheck");
    }
  });

  it("does not report the noise of untyped JavaScript, and the blocks still reach typecheck", () => {
    const p = pageOf(report, "docs/noise.md");
    expect(p.findings.filter((f) => f.severity === "error")).toEqual([]);
    for (const b of p.blocks) expect(b.level, b.id).toBe("typecheck");
  });

  it("grades a fragment by its names: page context lifts it to typecheck; a name declared nowhere stops it at resolve", () => {
    const p = pageOf(report, "docs/fragments.md");
    expect(blockAt(p, 1).level).toBe("typecheck");
    expect(blockAt(p, 2)).toMatchObject({ level: "resolve", stop: { reason: "undeclared-name" } });
    expect(blockAt(p, 2).stop!.detail).toContain("`client`");
    // JavaScript: no compile error for the name (running the block would throw; the run stage reports that).
    expect(errorsOf(p, 2)).toEqual([]);
    // TypeScript: the name is an error as before, and the block stops at resolve too.
    expect(codes(p, 3)).toEqual(["ts2304"]);
    expect(blockAt(p, 3)).toMatchObject({ level: "resolve", stop: { reason: "undeclared-name" } });
    const undeclared = (q: PageResult) => q.blocks.filter((b) => b.stop?.reason === "undeclared-name").length;
    expect(undeclared(p)).toBe(2);
    // The summary counts them over the run: these two and the two of docs/run.md (the run tests' page, below).
    expect(undeclared(pageOf(report, "docs/run.md"))).toBe(2);
    expect(report.summary.reasons["undeclared-name"]).toBe(4);
  });

  it("check-js=off and // @ts-nocheck check syntax only; check-js=full reports every diagnostic", () => {
    const p = pageOf(report, "docs/modes.md");
    expect(codes(p, 0)).toEqual([]);
    expect(blockAt(p, 0).checks).not.toContain("typecheck");
    expect(blockAt(p, 0).level).toBe("parse");
    expect(codes(p, 1)).toEqual(["ts7006"]);
    expect(codes(p, 2)).toEqual([]);
    expect(blockAt(p, 2).level).toBe("parse");
    expect(codes(pageOf(report, "docs/legacy/old.md"), 0)).toEqual(["ts2551"]);
  });

  it("config checkJs per page glob: the last matching glob wins, a block attribute wins over it", () => {
    // The shared run's config: { "docs/cfg/**": "full", "docs/cfg/legacy/**": false }, on copies of the pages.
    const r = report;
    expect(codes(pageOf(r, "docs/cfg/legacy/old.md"), 0)).toEqual([]);
    expect(blockAt(pageOf(r, "docs/cfg/legacy/old.md"), 0).level).toBe("parse");
    // full on the noise page: the implicit any is reported now
    expect(codes(pageOf(r, "docs/cfg/noise.md"), 0)).toContain("ts7006");
    // the block's check-js=off still wins
    expect(codes(pageOf(r, "docs/cfg/modes.md"), 0)).toEqual([]);
    expect(blockAt(pageOf(r, "docs/cfg/modes.md"), 0).level).toBe("parse");
  });
});

describe("running a JavaScript fragment whose names are declared nowhere", () => {
  let r: ReturnType<typeof runCli>;
  let p: PageResult;
  beforeAll(() => {
    ({ r } = shared());
    p = pageOf(shared().report, "docs/run.md");
  });

  it("keeps the ReferenceError of a name declared nowhere as info: the block is graded resolve, not failed", () => {
    expect(r.code, r.stderr).toBe(1);
    expect(errorsOf(p, 0)).toEqual([]);
    const info = p.findings.find((f) => f.blockId === blockAt(p, 0).id && f.ruleId === "run/threw");
    expect(info?.severity).toBe("info");
    expect(info?.message).toContain("`pino` is declared by no block of this page");
    expect(blockAt(p, 0)).toMatchObject({ level: "resolve", stop: { reason: "undeclared-name" }, status: "passed" });
  });

  it("still fails a misspelled name and a name the types declare that the runtime lacks", () => {
    expect(codes(p, 1)).toEqual(["run/threw"]);
    expect(errorsOf(p, 1)[0]!.message).toContain("ReferenceError: clent is not defined");
    expect(codes(p, 2)).toEqual(["run/threw"]);
    expect(errorsOf(p, 2)[0]!.message).toContain("ReferenceError: alert is not defined");
  });
});
