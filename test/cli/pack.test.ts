// `--pack` through the real CLI, with real `npm pack` and `npm install --prefer-offline` of local tarballs (no
// registry): an SDK documented from inside its monorepo, where the docs pass (a `paths` alias reaches the source,
// the built files are in the folder) but a user of the published package would fail: a subpath its `exports` does
// not list, and a file its `files` field leaves out of the tarball. Fixing the package makes the same pages pass.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckResult, Finding } from "../../src/types.js";
import { makeProject, npmInstall, readJson, REPO, runCli, TSCONFIG, writeFiles } from "../helpers.js";

const manifest = (exports: Record<string, unknown>, files: string[]) =>
  JSON.stringify({ name: "tracekit", version: "1.0.0", type: "module", exports, files }, null, 2);

const EXPORTS = {
  ".": { types: "./dist/index.d.ts", default: "./dist/index.js" },
  "./extra": { types: "./dist/extra.d.ts", default: "./dist/extra.js" },
};

const GUIDE = [
  "# Guide", //                                                   1
  "", //                                                          2
  "```ts", //                                                     3
  'import { init } from "tracekit";', //                          4
  "console.log(init());", //                                      5
  "```", //                                                       6
  "", //                                                          7
  "```ts", //                                                     8
  'import { extra } from "tracekit/extra";', //                   9
  "console.log(extra());", //                                     10
  "```", //                                                       11
  "", //                                                          12
  "```ts", //                                                     13
  'import { otel } from "tracekit/otel";', //                     14
  "console.log(otel());", //                                      15
  "```", //                                                       16
].join("\n");

function sdkRepo(): string {
  return makeProject({
    "package.json": JSON.stringify({ name: "tracekit-repo", private: true, type: "module", workspaces: ["packages/*"] }),
    // The repository reaches the SDK's unpublished source through a `paths` alias, as many monorepos do. Its globals
    // (console) come from an @types package (installed below), not the DOM lib (≈ 0.5 s of CPU per program).
    "tsconfig.json": JSON.stringify({
      compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, lib: ["ES2022"], skipLibCheck: true, types: ["vd-test-globals"], paths: { "tracekit/otel": ["./packages/tracekit/src/otel.ts"] } },
    }),
    "docs/guide.md": GUIDE,
    // `files` leaves dist/extra.* out of the tarball; `exports` has no "./otel".
    "packages/tracekit/package.json": manifest(EXPORTS, ["dist/index.js", "dist/index.d.ts"]),
    "packages/tracekit/dist/index.js": 'export const init = () => "tracekit ready";\n',
    "packages/tracekit/dist/index.d.ts": "export declare function init(): string;\n",
    "packages/tracekit/dist/extra.js": 'export const extra = () => "extra";\n',
    "packages/tracekit/dist/extra.d.ts": "export declare function extra(): string;\n",
    "packages/tracekit/src/otel.ts": 'export const otel = (): string => "otel";\n',
  });
}

function findings(dir: string): Finding[] {
  return readJson<CheckResult>(path.join(dir, "reports/index.json")).pages.find((p) => p.page === "docs/guide.md")!.findings;
}

describe("--pack: the docs against the package as it is published", () => {
  it("catches an unexported subpath and a file left out of the tarball, which pass in the repository; passes once the package is fixed", () => {
    const dir = sdkRepo();
    npmInstall(dir);
    // The test globals as an installed @types package, which --pack installs in its consumer project too.
    writeFiles(dir, {
      "node_modules/@types/vd-test-globals/package.json": JSON.stringify({ name: "@types/vd-test-globals", version: "1.0.0", types: "index.d.ts" }),
      "node_modules/@types/vd-test-globals/index.d.ts": fs.readFileSync(path.join(REPO, "test/fixtures/types/vd-test-globals/index.d.ts"), "utf8"),
    });

    // In the repository every block passes.
    const inRepo = runCli([], dir);
    expect(inRepo.code, inRepo.stdout + inRepo.stderr).toBe(0);
    expect(findings(dir)).toEqual([]);

    const packed = runCli(["--pack"], dir);
    expect(packed.code, packed.stdout + packed.stderr).toBe(1);
    const found = findings(dir).map((f) => [f.ruleId, f.place.start.line, f.stage]);
    expect(found).toEqual([
      ["pack/missing-file", 9, "pack"],
      ["pack/not-exported", 14, "pack"],
    ]);
    const [missing, unexported] = findings(dir);
    expect(missing!.message).toContain("files `dist/extra.d.ts`, `dist/extra.js` are not in the published tarball of `tracekit`");
    expect(unexported!.message).toContain("`tracekit/otel` is not exported by the published package: its package.json `exports` has no `./otel` entry");
    expect(unexported!.message).toContain("in the repository it resolves to packages/tracekit/src/otel.ts");
    expect(packed.stdout).toContain("docs/guide.md:14:");
    // The first block (the package's main entry) passes for a user too; nothing is left behind in the repository.
    const blocks = readJson<CheckResult>(path.join(dir, "reports/index.json")).pages.find((p) => p.page === "docs/guide.md")!.blocks;
    expect(blocks.map((b) => b.status)).toEqual(["passed", "failed", "failed"]);
    expect(fs.readdirSync(dir).sort()).toEqual(["docs", "node_modules", "package-lock.json", "package.json", "packages", "reports", "tsconfig.json"]);

    // Fixed: every built file is published and ./otel is exported (built to dist/otel.js).
    writeFiles(dir, {
      "packages/tracekit/package.json": manifest({ ...EXPORTS, "./otel": { types: "./dist/otel.d.ts", default: "./dist/otel.js" } }, ["dist"]),
      "packages/tracekit/dist/otel.js": 'export const otel = () => "otel";\n',
      "packages/tracekit/dist/otel.d.ts": "export declare function otel(): string;\n",
    });
    const fixed = runCli(["--pack"], dir);
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(findings(dir)).toEqual([]);
  }, 480_000);

  it("says so when no block imports a package of the repository (nothing to pack): exit 2", () => {
    const dir = makeProject({ "package.json": JSON.stringify({ name: "plain", private: true }), "tsconfig.json": TSCONFIG, "docs/a.md": "# A\n\n```ts\nconsole.log(1);\n```\n" });
    // Decided from the blocks' imports before any stage: none runs (the type-check and lint cost ≈ 0.5 s of CPU).
    const r = runCli(["--pack", "--no-run", "--no-typecheck", "--no-lint"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--pack: no checked block imports a package of this repository");
  }, 120_000);
});
