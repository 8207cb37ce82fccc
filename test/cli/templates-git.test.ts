// Guide templates with git and npm through the real CLI (subprocess): --changed, init-hook and the npm pre-publish
// gate. (Split from templates.test.ts so the two run in parallel.)
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, expectNoCrash, groupedLines, makeProject, readJson, runCli, templateFixtures } from "../helpers.js";

const TEMPLATE = "templates/integration.md.hbs";
const PARTIAL = "templates/partials/bedrock-setup.md.hbs";

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" });

function gitRepo(root: string): void {
  git(root, "init", "-q", "-b", "main");
  git(root, "config", "user.email", "t@example.com");
  git(root, "config", "user.name", "t");
  fs.writeFileSync(path.join(root, ".gitignore"), "reports/\n");
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", "init");
}

describe("--changed and init-hook", () => {
  it("--changed checks only changed pages, and templates whose partial changed", () => {
    const dir = templateFixtures();
    const root = path.join(dir, "seed");
    gitRepo(root);
    fs.appendFileSync(path.join(root, "README.md"), "\nMore.\n");
    const readme = runCli(["--changed", "HEAD"], root);
    expectNoCrash(readme);
    expect(readme.code).toBe(0); // the bad template did not change
    expect(readJson<{ summary: { pages: number } }>(path.join(root, "reports/index.json")).summary.pages).toBe(1);

    git(root, "checkout", "-q", "--", "README.md");
    fs.appendFileSync(path.join(root, PARTIAL), "\nSee the AWS docs.\n");
    // What --changed selects is asserted (the findings are the type-check's and lint's): the run stage changes nothing.
    const partial = runCli(["--changed", "HEAD", "--no-run"], root);
    expect(partial.code).toBe(1);
    expect(groupedLines(partial.stdout)).toEqual([`${TEMPLATE}:12:43 no-init-instrumentors`, `${PARTIAL}:8:43 ts2322`]);
    expect(readJson<{ summary: { pages: number } }>(path.join(root, "reports/index.json")).summary.pages).toBe(6);
  });

  it("init-hook installs the pre-push hook (exit 0) and refuses a foreign one (exit 1)", () => {
    const root = makeProject({ "README.md": "# x\n" });
    gitRepo(root);
    const r = runCli(["init-hook", "--config", "docs config.json"], root);
    expect(r.code).toBe(0);
    const hook = path.join(root, ".git/hooks/pre-push");
    expect(fs.readFileSync(hook, "utf8")).toContain(`exec npx --no-install validate-docs --config 'docs config.json' --changed "$base"`);
    expect(fs.statSync(hook).mode & 0o111).not.toBe(0);
    fs.writeFileSync(hook, "#!/bin/sh\necho mine\n");
    const refused = runCli(["init-hook", "--root", root], os.tmpdir());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("left unchanged");
    expect(fs.readFileSync(hook, "utf8")).toBe("#!/bin/sh\necho mine\n");
  });
});

describe("pre-publish gate", () => {
  /**
   * `npm publish --dry-run` needs no network: offline, with the registry on a closed port (without
   * `offline`, npm still tries a login check there and retries for about a minute before going on).
   */
  function publish(cwd: string) {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    const r = spawnSync("npm", ["publish", "--dry-run"], {
      cwd, encoding: "utf8", timeout: 480_000,
      env: { ...env, NO_COLOR: "1", npm_config_offline: "true", npm_config_registry: "http://127.0.0.1:9/", npm_config_fetch_retries: "0", npm_config_update_notifier: "false", npm_config_fund: "false" },
    });
    return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
  }

  it("prepublishOnly blocks npm publish --dry-run on a bad template and lets the fixed one through", () => {
    const dir = templateFixtures();
    const root = path.join(dir, "seed");
    fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({
      name: "vd-template-gate-fixture", version: "1.0.0", type: "module",
      // The gate's verdict comes from lint and the type-check (that the fixed set also runs clean is templates.test.ts).
      scripts: { prepublishOnly: `node ${JSON.stringify(BIN)} --no-color --no-run` },
    }, null, 2));
    const bad = publish(root);
    expect(bad.code).not.toBe(0);
    expect(bad.out).toContain(`${TEMPLATE}:12:43`);
    expect(bad.out).toContain("no-init-instrumentors");

    fs.cpSync(path.join(dir, "seed-fixed/templates"), path.join(root, "templates"), { recursive: true });
    const good = publish(root);
    expect(good.out).toContain("✔ no errors");
    expect(good.code).toBe(0);
  });
});
