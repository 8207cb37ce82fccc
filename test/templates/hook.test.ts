import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../../src/config-types.js";
import { tempDir } from "../helpers.js";
import { changedFiles, installHook, loadTemplateSets, renderVariants, selectChanged } from "../../src/templates/index.js";

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" });

function repo(files: Record<string, string>): string {
  const root = tempDir("vd-hook-");
  git(root, "init", "-q", "-b", "main");
  git(root, "config", "user.email", "t@example.com");
  git(root, "config", "user.name", "t");
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", "init");
  return root;
}

describe("installHook", () => {
  it("installs an executable pre-push hook, updates its own, refuses a foreign one", () => {
    const root = repo({ "a.md": "x\n" });
    const first = installHook(root);
    expect(first.status).toBe("installed");
    expect(first.path).toBe(path.join(root, ".git", "hooks", "pre-push"));
    expect(statSync(first.path).mode & 0o111).not.toBe(0);
    expect(readFileSync(first.path, "utf8")).toContain('validate-docs --changed "$base"');
    expect(installHook(root, { command: "npm run docs:check --" }).status).toBe("updated");
    expect(readFileSync(first.path, "utf8")).toContain('exec npm run docs:check -- --changed "$base"');
    writeFileSync(first.path, "#!/bin/sh\necho mine\n");
    const refused = installHook(root);
    expect(refused.status).toBe("refused");
    expect(readFileSync(first.path, "utf8")).toBe("#!/bin/sh\necho mine\n");
  });

  it("honours core.hooksPath", () => {
    const root = repo({ "a.md": "x\n" });
    git(root, "config", "core.hooksPath", ".githooks");
    expect(installHook(root).path).toBe(path.join(root, ".githooks", "pre-push"));
  });

  it("the installed hook blocks a push when the check fails", () => {
    const remote = tempDir("vd-remote-");
    git(remote, "init", "-q", "--bare");
    const root = repo({ "a.md": "x\n" });
    git(root, "remote", "add", "origin", remote);
    // A stand-in for the CLI: the hook must propagate its exit code.
    installHook(root, { command: "sh -c 'echo checked \"$@\"; exit 1' --" });
    const push = () => execFileSync("git", ["push", "-q", "origin", "main"], { cwd: root, stdio: "pipe", encoding: "utf8" });
    let output = "";
    try {
      push();
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      output = `${e.stdout ?? ""}${e.stderr ?? ""}`;
    }
    expect(output).toMatch(/checked/);
    // The first push: the remote has no branch to compare with, so a full check (no --changed).
    expect(output).not.toContain("--changed");
    expect(output).toMatch(/failed to push/);
    installHook(root, { command: "true" });
    push();
  });
});

describe("--changed", () => {
  const files = {
    "t/a.md.hbs": "{{> shared}}\n", "t/b.md.hbs": "{{> other}}\n", "t/c.md.hbs": "plain\n",
    "p/shared.hbs": "S\n", "p/other.hbs": "{{> shared}}\n", "p/lonely.hbs": "L\n",
    "t/v.json": '[{"name":"x"}]', "docs/page.md": "p\n", "docs/old.md": "o\n",
  };
  const cfg = (root: string): ResolvedConfig => ({
    root, include: [], exclude: [], out: "reports", checkJs: [], typecheck: true, run: true, lint: true, timeout: 1, concurrency: 1,
    memoryLimit: 1, warnings: "error", allowWarnings: [], env: {}, passEnv: [], network: [], sandbox: false, isolate: "worker", typescript: "6", rules: {}, plugins: {}, bannedApis: [], reporters: [], reporterPaths: {}, levels: [], environments: [], strict: false,
    update: false, fix: false, context: [], setup: [], templates: [{ files: "t/*.hbs", variants: "t/v.json", partials: "p/*.hbs" }],
  });

  async function select(root: string) {
    const { sets } = await loadTemplateSets(cfg(root));
    const rendered = renderVariants(sets);
    const disk = ["docs/page.md", "docs/old.md"].map((p) => ({ path: p, abs: path.join(root, p), source: "" }));
    const changed = changedFiles(root, "main");
    const s = selectChanged(sets, [...disk, ...rendered.pages], changed);
    return { changed: [...changed].sort(), templates: s.sets.flatMap((x) => x.templates.map((t) => t.path)), pages: s.pages.map((p) => p.path) };
  }

  it("keeps templates whose partial (also through another partial) changed, plus changed and untracked pages", async () => {
    const root = repo(files);
    git(root, "checkout", "-q", "-b", "feature");
    writeFileSync(path.join(root, "p/shared.hbs"), "S2\n");
    git(root, "commit", "-qam", "change shared");
    writeFileSync(path.join(root, "docs/new.md"), "n\n");
    writeFileSync(path.join(root, "docs/page.md"), "p2\n");
    const r = await select(root);
    expect(r.changed).toEqual(["docs/new.md", "docs/page.md", "p/shared.hbs"]);
    expect(r.templates).toEqual(["t/a.md.hbs", "t/b.md.hbs"]);
    expect(r.pages).toEqual(["docs/page.md", "t/a.x.md", "t/b.x.md"]);
  });

  it("a changed variants file keeps every template of the set; nothing changed keeps nothing", async () => {
    const root = repo(files);
    expect((await select(root)).templates).toEqual([]);
    writeFileSync(path.join(root, "t/v.json"), '[{"name":"y"}]');
    expect((await select(root)).templates).toEqual(["t/a.md.hbs", "t/b.md.hbs", "t/c.md.hbs"]);
  });

  it("a bad ref is a usage error", () => {
    const root = repo(files);
    expect(() => changedFiles(root, "no-such-ref")).toThrow(/git merge-base/);
  });
});
