// The real-docs set (issue 14 item 7): READMEs of pinned npm packages (copied unchanged from test/real/node_modules)
// and SDK-reference pages, checked through the real CLI with zero configuration. Each page's expected summary
// lives in test/real/expected/<page>.json (update with `npx vitest run test/real -u`, then review the diff and
// NOTES.md); every error finding kept on a page must be listed in test/real/NOTES.md.
//
// Network: the set runs with the run stage on. The run stage blocks the network in every example process by itself
// (issue 14 item 6: sockets, DNS, fetch, http(s); `run/network`), so no example reaches an outside host from this
// test. See NOTES.md. `--no-cache`: the result cache is keyed by the tool's version, which stays the same while the
// tool changes during development; this set measures the tool.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { EXTRA_CA_CERTS_ENV } from "../global-setup.js";
import { REPO, makeProject, readJson, runCli } from "../helpers.js";
import { pageSummary, summarize } from "./summary.mjs";

const SET = path.join(REPO, "test", "real");

interface Source {
  page: string;
  package: string;
  version: string;
  file: string;
  kind: string;
}
const sources: Source[] = readJson(path.join(SET, "sources.json"));
const pages = [
  ...sources.map((s) => s.page),
  ...fs.readdirSync(path.join(SET, "pages", "sdk")).map((f) => `pages/sdk/${f}`),
].sort();

/** Installs the set's pinned packages when node_modules does not match the set's lockfile (fresh clone, bump). */
function ensureInstalled(): void {
  const versions = (file: string): Map<string, string> => {
    if (!fs.existsSync(file)) return new Map();
    const packages: Record<string, { version?: string }> = readJson(file).packages ?? {};
    return new Map(Object.entries(packages).filter(([k]) => k !== "").map(([k, v]) => [k, v.version ?? ""]));
  };
  const wanted = versions(path.join(SET, "package-lock.json"));
  const have = versions(path.join(SET, "node_modules", ".package-lock.json"));
  if ([...wanted].every(([k, v]) => have.get(k) === v)) return;
  // The registry may need the certificates the suite's other processes start without (test/global-setup.ts).
  const certs = process.env[EXTRA_CA_CERTS_ENV];
  const env = certs === undefined ? process.env : { ...process.env, NODE_EXTRA_CA_CERTS: certs };
  const r = spawnSync("npm", ["ci", "--prefix", SET, "--no-audit", "--no-fund"], { encoding: "utf8", env });
  if (r.status !== 0) throw new Error(`npm ci --prefix test/real failed:\n${r.stdout}\n${r.stderr}`);
}

let report: any;
let code: number | null;
let stderr: string;

beforeAll(() => {
  ensureInstalled();
  const out = makeProject({}, "vd-real-");
  const r = runCli(["--no-cache", "--reporter", "json", "-o", out, ...pages], SET);
  code = r.code;
  stderr = r.stderr;
  report = readJson(path.join(out, "index.json"));
}, 600_000);

describe("the real-docs set", () => {
  it("pages are the packages' files, unchanged, at the versions the set's lockfile pins", () => {
    const lock = readJson(path.join(SET, "package-lock.json"));
    for (const s of sources) {
      expect(lock.packages[`node_modules/${s.package}`]?.version, s.package).toBe(s.version);
      const original = fs.readFileSync(path.join(SET, "node_modules", s.package, s.file));
      expect(fs.readFileSync(path.join(SET, s.page)).equals(original), `${s.page} differs from ${s.package}/${s.file}`).toBe(true);
    }
    expect(new Set(sources.map((s) => s.package)).size).toBeGreaterThanOrEqual(12);
  });

  it("runs without a crash and accounts for every fence", () => {
    expect(code, stderr).toBe(1); // error findings remain (listed in NOTES.md), but never exit 2
    expect(report.pages.map((p: any) => p.page).sort()).toEqual(pages);
    const numbers = summarize(report);
    expect(numbers.internal).toBe(0);
    expect(numbers.unaccounted).toBe(0);
    expect(numbers.blocks).toBeGreaterThan(400);
  });

  it.each(pages)("%s matches its expected summary", async (page) => {
    const result = report.pages.find((p: any) => p.page === page);
    const file = path.join(SET, "expected", page.replace(/^pages\//, "").replace(/\.md$/, ".json"));
    await expect(`${JSON.stringify(pageSummary(result), null, 2)}\n`).toMatchFileSnapshot(file);
  });

  it("NOTES.md lists every error finding kept on a page (block id and code)", () => {
    const notes = fs.readFileSync(path.join(SET, "NOTES.md"), "utf8");
    const missing: string[] = [];
    for (const p of report.pages) {
      for (const f of p.findings) {
        if (f.severity !== "error") continue;
        const key = `${f.blockId ?? p.page} ${f.ruleId}`;
        if (!notes.includes(`\`${f.blockId ?? p.page}\` | \`${f.ruleId}\``) && !missing.includes(key)) missing.push(key);
      }
    }
    expect(missing, "add these to test/real/NOTES.md (a real doc bug, why it is right, or open)").toEqual([]);
  });

  it("every real doc bug listed in NOTES.md is still an error (no heuristic hides it)", () => {
    const notes = fs.readFileSync(path.join(SET, "NOTES.md"), "utf8");
    const bugs = [...notes.matchAll(/^\| `([^`]+)` \| `([^`]+)` \| \d+ \| (?:doc )?bug \|/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(bugs.length).toBeGreaterThanOrEqual(10);
    const errors = new Set<string>();
    for (const p of report.pages) {
      for (const f of p.findings) if (f.severity === "error") errors.add(`${f.blockId ?? p.page} ${f.ruleId}`);
    }
    expect(bugs.filter((b) => !errors.has(b))).toEqual([]);
  });
});
