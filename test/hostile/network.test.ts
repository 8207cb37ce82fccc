// No network by default in runs (issue 14.6), through the real CLI: fetch, http(s), net, dgram and dns are stopped
// at the calling line with run/network (a warning: "needs network"); an example that starts a local server and
// calls it keeps working; `network` allows hosts. No test here needs a real network: a blocked attempt never leaves
// the process, and the allowed one goes to a closed local port.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeProject } from "../helpers.js";
import { cli, expectNoLeftovers, expectValidReports, fence, type Index, pageOf, readIndex, type Run } from "./helpers.js";

const pages: Record<string, string> = {
  "docs/fetch.md": [
    fence("ts", "const before = 1;\nconsole.log(before);"),
    fence("ts", 'const res = await fetch("https://api.example.com/v1/items");\nconsole.log(await res.json());'),
    fence("ts", 'console.log("after");'),
  ].join("\n"),
  "docs/https.md": fence("js", 'const https = require("node:https");\nhttps.get("https://example.org:8443/x", (res) => res.resume());'),
  "docs/net.md": fence("js", 'const net = require("node:net");\nconst sock = net.connect(5432, "db.internal");\nsock.on("error", () => {});'),
  "docs/dns.md": fence("ts", 'import { lookup } from "node:dns/promises";\nconsole.log(await lookup("registry.npmjs.org"));'),
  "docs/dns-callback.md": fence("js", 'const dns = require("node:dns");\ndns.resolve4("example.net", (err, a) => console.log(err, a));'),
  "docs/udp.md": fence("js", 'const dgram = require("node:dgram");\nconst s = dgram.createSocket("udp4");\ns.send("hi", 53, "8.8.8.8", () => s.close());'),
  "docs/caught.md": fence("ts", 'try {\n  await fetch("http://metadata.internal/latest");\n} catch {\n  console.log("offline");\n}'),
  "docs/local.md": fence(
    "ts",
    [
      'import http from "node:http";',
      'const server = http.createServer((_req, res) => res.end("hello"));',
      'await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));',
      "const { port } = server.address() as { port: number };",
      "const res = await fetch(`http://127.0.0.1:${port}/`);",
      "console.log(await res.text());",
      "server.close();",
    ].join("\n"),
  ) + "\n```output\nhello\n```\n",
  // The config's `network` allows 127.0.0.1:10, a closed port (and not one of fetch's "bad ports", which it refuses
  // without connecting): reached for real, refused, caught, printed. Another port of that host is not allowed.
  "docs/allowed.md": fence("ts", 'try {\n  await fetch("http://127.0.0.1:10/");\n} catch (err) {\n  console.log((err as Error).message, String((err as Error).cause));\n}') + "\n```output\nfetch failed Error: connect ECONNREFUSED 127.0.0.1:10\n```\n",
  "docs/other-port.md": fence("ts", 'await fetch("http://127.0.0.1:12/");'),
};

const base = { "package.json": JSON.stringify({ name: "net", type: "module" }) };
const flags = ["--no-typecheck", "--no-lint", "--reporter", "json"];

describe.concurrent("network policy", () => {
  let dir: string;
  let run: Run;
  let index: Index;
  beforeAll(async () => {
    dir = makeProject({ ...base, ...pages, "validate-docs.config.json": JSON.stringify({ network: ["127.0.0.1:10"] }) });
    run = await cli(flags, dir);
    index = readIndex(path.join(dir, "reports"));
  });

  const expectNetwork = (page: string, target: string, via: string, line: number) => {
    const p = pageOf(index, page);
    const f = p.findings.filter((x) => x.ruleId === "run/network");
    expect(f, JSON.stringify(p.findings, null, 1)).toHaveLength(1);
    expect(f[0]!.severity).toBe("warning");
    expect(f[0]!.message).toContain(`tried to reach ${target} (${via})`);
    expect(f[0]!.place.start.line).toBe(line);
    // The stop is the only finding: the "fetch failed" the block then saw is its echo.
    expect(p.findings.map((x) => x.ruleId)).toEqual(["run/network"]);
    expect(p.blocks.find((b) => b.status === "skipped" && /needs network/.test(b.skipReason ?? ""))).toBeDefined();
  };

  it("exits 0: needs-network is a warning by default, and nothing is left running", async () => {
    expect(run.code).toBe(0);
    expect(index.summary.errors).toBe(0);
    expectValidReports(path.join(dir, "reports"));
    await expectNoLeftovers(run.pid, dir);
  });
  it("fetch: stopped at the calling line; the page's later blocks run on in a fresh process", () => {
    expectNetwork("docs/fetch.md", "api.example.com:443", "fetch", 7);
    const blocks = pageOf(index, "docs/fetch.md").blocks;
    expect(blocks.map((b) => b.status)).toEqual(["passed", "skipped", "passed"]);
    expect(blocks[1]!.skipReason).toMatch(/needs network/);
    expect(blocks[2]!.checks).toContain("run");
  });
  it("https.get, net.connect, dgram.send", () => {
    expectNetwork("docs/https.md", "example.org:8443", "net.connect", 3);
    expectNetwork("docs/net.md", "db.internal:5432", "net.connect", 3);
    expectNetwork("docs/udp.md", "8.8.8.8:53", "dgram.send", 4);
  });
  it("dns lookups, promise and callback forms", () => {
    expectNetwork("docs/dns.md", "registry.npmjs.org", "dns.promises.lookup", 3);
    expectNetwork("docs/dns-callback.md", "example.net", "dns.resolve4", 3);
  });
  it("a block that catches the failure is still reported: it reached out", () => {
    expectNetwork("docs/caught.md", "metadata.internal:80", "fetch", 3);
  });
  it("an example that starts a local server and calls it keeps working", () => {
    const p = pageOf(index, "docs/local.md");
    expect(p.findings).toEqual([]);
    expect(p.blocks[0]!.status).toBe("passed");
  });
  it("an allowed host (config `network`) is reached for real (here a closed local port: ECONNREFUSED, not run/network)", () => {
    const allowed = pageOf(index, "docs/allowed.md");
    // The output fence (the refused connection's error, caught) matched: no finding, the block ran.
    expect(allowed.findings).toEqual([]);
    expect(allowed.blocks.map((b) => [b.status, b.checks.includes("run")])).toEqual([["passed", true]]);
    expectNetwork("docs/other-port.md", "127.0.0.1:12", "fetch", 2);
  });
});

describe.concurrent("network option", () => {
  it("rejects a bad value with exit 2", async () => {
    const dir = makeProject({ ...base, "validate-docs.config.json": JSON.stringify({ network: "api.example.com" }), "docs/a.md": fence("ts", "1;") });
    const r = await cli(flags, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("invalid value for option `network`");
  });
});
