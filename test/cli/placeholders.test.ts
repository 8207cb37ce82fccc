// Placeholders through the real CLI on a temp project (issue 14, item 4): a placeholder string runs with a neutral
// value of its shape, an unset `process.env.X` gets one in the example's environment when its name says the shape,
// a library that rejects the neutral value is not a doc bug, and each rule has a look-alike that must still fail.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckResult, Finding, PageResult } from "../../src/types.js";
import { fencedPage, TSCONFIG_DOM, makeProject, once, readJson, runCli } from "../helpers.js";

const pageOf = (title: string, blocks: [string, string, string?][]) => fencedPage(`# ${title}

`, blocks);

/** A library that validates its key (naming the value it rejects) and its options (naming the option). */
const FAKE_SDK = `
export class Client {
  constructor({ apiKey }) {
    if (!/^sk-[a-z0-9]{8,}$/.test(apiKey)) throw new Error(\`Invalid API key "\${apiKey}": keys look like sk-…\`);
    this.apiKey = apiKey;
  }
  send(options) {
    return send(options);
  }
}
export class LooseClient {
  constructor({ apiKey }) {
    this.apiKey = apiKey;
  }
  send(options) {
    return send(options);
  }
}
function send(options) {
  for (const k of Object.keys(options)) if (k !== "text") throw new TypeError(\`Unknown option \\\`\${k}\\\`\`);
  return "sent";
}
`;

const runs = pageOf("Runs", [
  /* 0 */ ["js", "const url = new URL('<your-endpoint>');\nconsole.log(url.protocol, url.hostname);", "https: placeholder.invalid"],
  /* 1 */ ["js", 'const tag = "<div>";\nconsole.log(tag);', "<div>"], // look-alike: contains `<`, not a placeholder
  /* 2 */ ["js", 'const key = "<YOUR_API_KEY>";\nkey.notAMethod();'], // a real bug after a placeholder
  /* 3 */ ["js", "const token = process.env.VD_TEST_SERVICE_TOKEN;\nconsole.log(token);", "placeholder-vd-test-service-token"],
  /* 4 */ ["js", "const mode = process.env.VD_TEST_MODE;\nconsole.log(mode);"], // unset, and its name says no shape
  /* 5 */ ["js", 'const apiKey = "<YOUR_API_KEY>";\nif (!apiKey.startsWith("sk-")) throw new Error("Invalid API key " + apiKey);'], // the example's own throw
  /* 6 */ ["js", 'import { LooseClient } from "fake-sdk";\nconst client = new LooseClient({ apiKey: "<YOUR_API_KEY>" });\nclient.send({ text: "hi", retries: 3 });'], // a library error that is not the placeholder
  /* 7 */ ["ts", "const secret: string = <YOUR_API_KEY>;\nconsole.log(secret);"], // a bare placeholder: not valid syntax
  /* 8 */ ["ts", "const el = <div>;\nconsole.log(el);"], // look-alike: a real syntax error
]);
const rejected = pageOf("Rejected", [
  ["js", 'import { Client } from "fake-sdk";\nconst client = new Client({ apiKey: "<YOUR_API_KEY>" });\nconsole.log("created");'],
  ["js", 'console.log(client.send({ text: "hi" }));'],
]);
const network = pageOf("Network", [["js", 'const res = await fetch("<your-endpoint>");\nconsole.log(res.status);']]);

function blockAt(page: PageResult, line: number) {
  const b = page.blocks.find((x) => x.line === line);
  if (!b) throw new Error(`no block at line ${line}: ${page.blocks.map((x) => x.line).join(", ")}`);
  return b;
}
const findingsAt = (page: PageResult, line: number): Finding[] => page.findings.filter((f) => f.blockId === blockAt(page, line).id);

/** A library that reads its key from the environment and resolves request URLs itself, as SDKs and HTTP clients do. */
const ENV_SDK = `
export class Client {
  constructor() {
    if (!process.env.ACME_API_KEY) throw new Error("Missing credentials. Set the ACME_API_KEY environment variable.");
    this.key = process.env.ACME_API_KEY;
  }
}
export function region() {
  if (!process.env.ACME_REGION) throw new Error("Set the ACME_REGION environment variable.");
  return process.env.ACME_REGION;
}
export function get(url) {
  return new URL(url).pathname;
}
`;
const envPage = pageOf("Env", [
  /* 0 */ ["js", 'import { Client } from "env-sdk";\nconst client = new Client();\nconsole.log(client.key);'],
  /* 1 */ ["js", 'import { get } from "env-sdk";\nconsole.log(get("/api/users?id=1"));'],
  // look-alikes: the example's own throw naming the variable, a library error naming a variable that is no credential,
  // a library that rejects a URL that is not relative, the block's own relative URL (a browser throws on it too)
  /* 2 */ ["js", 'if (!process.env.ACME_API_KEY) throw new Error("set ACME_API_KEY first");'],
  /* 3 */ ["js", 'import { region } from "env-sdk";\nconsole.log(region());'],
  /* 4 */ ["js", 'import { get } from "env-sdk";\nconsole.log(get("example.com/api"));'],
  /* 5 */ ["js", 'console.log(new URL("/api/users").pathname);'],
]);

/**
 * One project and one run for both describes: the placeholder pages (with fake-sdk) and the environment page (with
 * env-sdk); every variable a page relies on being unset is unset. Each test reads its own page.
 */
const placeholdersRun = once(() => {
  const dir = makeProject({
    "package.json": JSON.stringify({ name: "docs-project", type: "module" }),
    "tsconfig.json": TSCONFIG_DOM,
    "node_modules/fake-sdk/package.json": JSON.stringify({ name: "fake-sdk", version: "1.0.0", type: "module", exports: "./index.js" }),
    "node_modules/fake-sdk/index.js": FAKE_SDK,
    "node_modules/env-sdk/package.json": JSON.stringify({ name: "env-sdk", version: "1.0.0", type: "module", main: "index.js" }),
    "node_modules/env-sdk/index.js": ENV_SDK,
    "docs/runs.md": runs.text,
    "docs/rejected.md": rejected.text,
    "docs/network.md": network.text,
    "docs/env.md": envPage.text,
  });
  const r = runCli(["--no-cache", "--reporter", "json,console,markdown"], dir, { VD_TEST_SERVICE_TOKEN: undefined, VD_TEST_MODE: undefined, ACME_API_KEY: undefined, ACME_REGION: undefined });
  return { dir, r, index: readJson<CheckResult>(`${dir}/reports/index.json`) };
});

describe("placeholders run with a neutral value where safe", () => {
  it("substitutes placeholder strings and unset env by shape, records what it ran with, and keeps every look-alike failing", () => {
    const { dir, r, index } = placeholdersRun();
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const page = (p: string) => index.pages.find((x) => x.page === p)!;
    const p = page("docs/runs.md");
    const row = (i: number) => {
      const b = blockAt(p, runs.lines[i]!);
      const errors = findingsAt(p, runs.lines[i]!).filter((f) => f.severity === "error").map((f) => f.ruleId);
      return { level: b.level, reason: b.stop?.reason ?? null, errors, substitutes: b.substitutes ?? [] };
    };

    // A URL placeholder runs as an https address on the reserved .invalid domain (the output fence proves it).
    expect(row(0)).toEqual({ level: "run", reason: null, errors: [], substitutes: [{ placeholder: "'<your-endpoint>'", value: "https://placeholder.invalid/", line: 1 }] });
    // `"<div>"` is not a placeholder: it runs as written.
    expect(row(1)).toEqual({ level: "run", reason: null, errors: [], substitutes: [] });
    // A real bug after a placeholder is still an error, at its line.
    expect(row(2)).toMatchObject({ level: "run", errors: ["run/threw"] });
    expect(findingsAt(p, runs.lines[2]!)[0]!.place.start).toMatchObject({ line: runs.lines[2]! + 2, column: 5 });
    // An unset variable whose name says "token" gets a dummy token in the example's environment only.
    expect(row(3)).toEqual({
      level: "run",
      reason: null,
      errors: [],
      substitutes: [{ placeholder: "process.env.VD_TEST_SERVICE_TOKEN", value: "placeholder-vd-test-service-token", line: 1 }],
    });
    // One whose name says nothing of its shape is not guessed: checked, not run (JavaScript is type-checked against
    // what it uses, check-js=typed, so it reaches typecheck).
    expect(row(4)).toEqual({ level: "typecheck", reason: "placeholder", errors: [], substitutes: [] });
    expect(blockAt(p, runs.lines[4]!).stop!.detail).toContain("`process.env.VD_TEST_MODE`");
    // The example's own throw that names the value is the example's, not a library rejecting a placeholder.
    expect(row(5)).toMatchObject({ level: "run", errors: ["run/threw"] });
    // A library error that does not name the placeholder (an option that does not exist) stays an error.
    expect(row(6)).toMatchObject({ level: "run", errors: ["run/threw"] });
    expect(findingsAt(p, runs.lines[6]!)[0]!.message).toContain("Unknown option `retries`");
    // A bare `<YOUR_API_KEY>` is not valid syntax: recognised, graded parse, not an error; `<div>` is a syntax error.
    expect(row(7)).toEqual({ level: "parse", reason: "placeholder", errors: [], substitutes: [] });
    expect(blockAt(p, runs.lines[7]!).stop!.detail).toContain("`<YOUR_API_KEY>` on line 1");
    expect(row(8)).toMatchObject({ level: "none", reason: "syntax-error", errors: [expect.stringMatching(/^ts1\d{3}$/)] });

    // The library rejects the neutral key, naming it: not a doc bug; the page stops there (as at a network call).
    const rj = page("docs/rejected.md");
    const first = blockAt(rj, rejected.lines[0]!);
    expect(first).toMatchObject({ status: "skipped", level: "typecheck", stop: { reason: "placeholder" } });
    expect(first.stop!.detail).toContain('The placeholder `"<YOUR_API_KEY>"` (line 2 of its block) ran as `placeholder-api-key`');
    // The page runs on after it in a fresh process; the next block uses the `client` that block never made: not run.
    expect(rj.findings.map((f) => [f.ruleId, f.severity, f.place.start.line])).toEqual([
      ["run/placeholder", "info", rejected.lines[0]! + 2],
      ["run/context-not-run", "info", rejected.lines[1]!],
    ]);
    expect(rj.findings[0]!.message).toContain('Invalid API key "placeholder-api-key"');
    expect(blockAt(rj, rejected.lines[1]!)).toMatchObject({ status: "skipped", stop: { reason: "not-run" } });
    expect(blockAt(rj, rejected.lines[1]!).stop!.detail).toContain("`client`");

    // A call to the placeholder address needs the network: a warning that names the placeholder, not an error.
    const nw = page("docs/network.md");
    expect(nw.findings.map((f) => [f.ruleId, f.severity])).toEqual([["run/network", "warning"]]);
    expect(nw.findings[0]!.message).toContain("in place of the placeholder `\"<your-endpoint>\"`");
    expect(blockAt(nw, network.lines[0]!)).toMatchObject({ stop: { reason: "needs-network" }, substitutes: [{ value: "https://placeholder.invalid/" }] });

    const md = fs.readFileSync(path.join(dir, "reports/pages/docs/runs.md.md"), "utf8");
    expect(md).toContain("ran with '&lt;your-endpoint&gt;' as `https://placeholder.invalid/`");
    expect(p.findings.filter((f) => f.severity === "error")).toHaveLength(4); // blocks 2, 5, 6 and 8 of docs/runs.md
    expect(rj.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(nw.findings.filter((f) => f.severity === "error")).toEqual([]);
  });
});

describe("what the reader's environment provides: a credential variable, a page origin", () => {
  const page = envPage;
  const { r, index } = placeholdersRun();
  const p = index.pages.find((x) => x.page === "docs/env.md")!;
  const at = (i: number) => p.findings.filter((f) => f.blockId === blockAt(p, page.lines[i]!).id).map((f) => `${f.ruleId} ${f.severity}`);

  it("a library's missing credential variable is a placeholder stop; a relative request URL needs the network", () => {
    expect(r.code, r.stderr).toBe(1);
    expect(at(0)).toEqual(["run/placeholder info"]);
    expect(p.findings.find((f) => f.ruleId === "run/placeholder")!.message).toContain("`ACME_API_KEY` is not set");
    expect(blockAt(p, page.lines[0]!)).toMatchObject({ level: "typecheck", stop: { reason: "placeholder" } });
    expect(at(1)).toEqual(["run/network warning"]);
    expect(p.findings.find((f) => f.ruleId === "run/network")!.message).toContain("relative URL `/api/users?id=1`");
    expect(blockAt(p, page.lines[1]!)).toMatchObject({ level: "typecheck", stop: { reason: "needs-network" } });
  });

  it("every look-alike still fails", () => {
    for (const i of [2, 3, 4, 5]) expect(at(i), `block ${i}`).toEqual(["run/threw error"]);
  });
});
