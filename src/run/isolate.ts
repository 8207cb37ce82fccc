// Which pages need a process of their own. By default a page runs in a fresh worker thread of a long-lived runner
// process (its own globals and module graph, so module singletons such as OpenTelemetry's global provider start
// empty); some things a thread cannot do or cannot contain, and a page doing them gets a fresh process, decided here
// from the code before anything runs (docs/running.md lists the cases). Text-level on purpose: a false positive only
// costs a process start, a miss is either caught at run time (the runner is retired when a page leaves a process
// behind) or reads as the thread's own error (`process.chdir() is not supported in workers`), never as a pass.
import fs from "node:fs";
import path from "node:path";
import type { CodeBlock } from "../types.js";

export type Isolation = "worker" | "process";

const IN_CODE: [RegExp, string][] = [
  [/\bprocess\s*\.\s*chdir\s*\(/, "it calls process.chdir (a worker thread cannot change the working directory)"],
  [/\bprocess\s*\.\s*(?:kill|abort)\s*\(/, "it calls process.kill or process.abort (they act on the whole process)"],
  [
    /\bprocess\s*\.\s*(?:on|once|addListener|prependListener|prependOnceListener)\s*\(\s*["'`]SIG/,
    "it handles a signal (signals reach processes, not threads)",
  ],
  [/\bprocess\s*\.\s*(?:setuid|setgid|seteuid|setegid|setgroups|initgroups|umask|dlopen|binding)\s*\(/, "it uses a process-wide API (credentials, umask, dlopen, binding)"],
  [/\bprocess\s*\.\s*title\s*=(?!=)/, "it sets process.title"],
  [/["'`](?:node:)?(?:child_process|cluster)["'`]/, "it starts child processes (they are killed with the page's process group)"],
  [/["'`](?:node:)?worker_threads["'`]/, "it uses worker_threads (a page thread is not the main thread)"],
  [/\.node["'`]/, "it loads a native addon"],
];

/** Packages whose presence among a package's dependencies marks it as a native addon. */
const ADDON_LOADERS = ["bindings", "node-gyp-build", "prebuild-install", "node-pre-gyp", "@mapbox/node-pre-gyp", "node-addon-api", "nan"];

const BARE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)["']([^"'./][^"']*)["']/g;

/** The package name of a bare specifier (`@scope/name/sub` → `@scope/name`). */
function packageName(specifier: string): string {
  const parts = specifier.replace(/^node:/, "").split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** Whether the package `name` as resolved from `dir` (node_modules upward) is a native addon. */
function isAddon(name: string, dir: string, cache: Map<string, boolean>): boolean {
  const key = `${dir}\0${name}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  let result = false;
  for (let d = dir; ; d = path.dirname(d)) {
    const pkgDir = path.join(d, "node_modules", name);
    const manifest = path.join(pkgDir, "package.json");
    if (fs.existsSync(manifest)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as { gypfile?: boolean; dependencies?: Record<string, string>; binary?: unknown };
        result = pkg.gypfile === true || pkg.binary !== undefined || fs.existsSync(path.join(pkgDir, "binding.gyp")) || ADDON_LOADERS.some((l) => pkg.dependencies?.[l] !== undefined);
      } catch {
        result = false;
      }
      break;
    }
    if (path.dirname(d) === d) break;
  }
  cache.set(key, result);
  return result;
}

/**
 * Why the blocks of one page lane (in run order, setup and carried blocks included) need a process of their own, or
 * undefined when a worker thread can run them. `pageDir`: where the page's imports resolve from.
 */
export function processReason(blocks: readonly CodeBlock[], pageDir: string, addonCache = new Map<string, boolean>()): string | undefined {
  for (const block of blocks) {
    if (block.attrs.isolate === "process") return "a block is marked isolate=process";
    for (const [re, why] of IN_CODE) if (re.test(block.code)) return why;
    for (const m of block.code.matchAll(BARE_IMPORT)) {
      const name = packageName(m[1]!);
      if (isAddon(name, pageDir, addonCache)) return `it imports ${name}, a native addon (addons are loaded once per process)`;
    }
  }
  return undefined;
}

/** The isolation of one page lane: the config's `isolate`, unless the lane needs a process. */
export function isolationOf(mode: Isolation, blocks: readonly CodeBlock[], pageDir: string, addonCache?: Map<string, boolean>): Isolation {
  if (mode === "process") return "process";
  return processReason(blocks, pageDir, addonCache) ? "process" : "worker";
}
