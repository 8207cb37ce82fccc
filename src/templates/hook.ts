// The pre-publish gate: a plain git `pre-push` hook (no hook manager dependency) and `--changed <ref>`,
// which keeps the hook fast by checking only what changed against a ref.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "../types.js";
import { UsageError } from "../errors.js";
import { writeFileAtomic } from "../util/fs.js";
import type { LoadedSet } from "./load.js";

export const HOOK_MARKER = "# validate-docs pre-push hook";

export interface InstallHookResult {
  status: "installed" | "updated" | "refused";
  /** Absolute path of the hook file. */
  path: string;
  message: string;
}

function git(root: string, args: string[]): string {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? "").trim();
    throw new UsageError(`git ${args.join(" ")} failed in ${root}: ${stderr || (err as Error).message}`,
      "validate-docs needs a git repository (and a valid ref) for this command.");
  }
}

/**
 * The hook script: `--changed` against what the remote has (origin/HEAD, else the branch's upstream, else
 * origin/main or origin/master: a repository whose remote was added by hand has no origin/HEAD); a full check
 * when none exists (the first push).
 */
export function hookScript(command = "npx --no-install validate-docs"): string {
  return [
    "#!/bin/sh",
    HOOK_MARKER,
    "# Installed by `validate-docs init-hook`. Blocks the push when a documentation example (or a rendered",
    "# template variant) fails. Delete this file to remove the hook; bypass once with `git push --no-verify`.",
    "base=",
    "for ref in origin/HEAD '@{upstream}' origin/main origin/master; do",
    '  if git rev-parse --verify --quiet "$ref^{commit}" >/dev/null 2>&1; then base=$ref; break; fi',
    "done",
    'if [ -n "$base" ]; then',
    `  exec ${command} --changed "$base"`,
    "fi",
    `exec ${command}`,
    "",
  ].join("\n");
}

/**
 * Writes `pre-push` into the repository's hooks directory (`git rev-parse --git-path hooks`, which honours
 * core.hooksPath). An existing hook that is not ours is never overwritten.
 */
export function installHook(root: string, opts: { command?: string } = {}): InstallHookResult {
  const hooksDir = path.resolve(root, git(root, ["rev-parse", "--git-path", "hooks"]).trim());
  const file = path.join(hooksDir, "pre-push");
  const script = hookScript(opts.command);
  let status: InstallHookResult["status"] = "installed";
  if (existsSync(file)) {
    const current = readFileSync(file, "utf8");
    if (!current.includes(HOOK_MARKER)) {
      return {
        status: "refused", path: file,
        message: `${file} already exists and was not written by validate-docs, so it was left unchanged. ` +
          `Add this line to it instead: ${opts.command ?? "npx --no-install validate-docs"} --changed origin/HEAD`,
      };
    }
    status = "updated";
  }
  mkdirSync(hooksDir, { recursive: true });
  writeFileAtomic(file, script);
  chmodSync(file, 0o755);
  return { status, path: file, message: `${status === "updated" ? "Updated" : "Installed"} the pre-push hook at ${file}.` };
}

/**
 * Files changed against `ref` since the merge base (committed, staged, unstaged) plus untracked files,
 * as posix paths relative to `root`.
 */
export function changedFiles(root: string, ref: string): Set<string> {
  const base = git(root, ["merge-base", ref, "HEAD"]).trim();
  const lines = [
    ...git(root, ["diff", "--name-only", "--relative", "--no-renames", base]).split("\n"),
    ...git(root, ["ls-files", "--others", "--exclude-standard"]).split("\n"),
  ];
  return new Set(lines.map((l) => l.trim()).filter(Boolean));
}

/**
 * Keeps templates whose file, variants file or a used partial changed (every template of a set when its
 * variants or the config changed) and pages on disk that changed. Rendered pages follow their template.
 */
export function selectChanged<P extends Page>(sets: LoadedSet[], pages: P[], changed: ReadonlySet<string>,
  opts: { configFile?: string } = {}): { sets: LoadedSet[]; pages: P[] } {
  const everything = opts.configFile !== undefined && changed.has(opts.configFile);
  const keptTemplates = new Set<string>();
  const outSets: LoadedSet[] = [];
  for (const set of sets) {
    const setWide = everything || (set.variantsFile !== undefined && changed.has(set.variantsFile));
    const changedPartials = new Set(set.partials.filter((p) => changed.has(p.path)).map((p) => p.name));
    const templates = set.templates.filter((t) => {
      if (setWide || changed.has(t.path)) return true;
      if (!changedPartials.size) return false;
      // Which partials a template uses (directly or through other partials) is only known after compiling.
      try {
        const used = usedPartials(set, set.engine.compile(t.source, t.path).partialsUsed);
        return used === undefined || [...changedPartials].some((p) => used.has(p));
      } catch {
        return true; // It does not compile: keep it so the error is reported.
      }
    });
    for (const t of templates) keptTemplates.add(t.path);
    if (templates.length) outSets.push({ ...set, templates });
  }
  const keptPages = pages.filter((p) => (p.origin ? keptTemplates.has(p.origin.template) : everything || changed.has(p.path)));
  return { sets: outSets, pages: keptPages };
}

function usedPartials(set: LoadedSet, direct: string[] | undefined): Set<string> | undefined {
  if (!direct) return undefined;
  const used = new Set<string>();
  const queue = [...direct];
  while (queue.length) {
    const name = queue.pop()!;
    if (used.has(name)) continue;
    used.add(name);
    const p = set.partials.find((x) => x.name === name);
    if (!p) continue;
    try {
      queue.push(...(set.engine.compile(p.source, p.path).partialsUsed ?? []));
    } catch {
      // A partial with a syntax error is reported when the set loads.
    }
  }
  return used;
}
