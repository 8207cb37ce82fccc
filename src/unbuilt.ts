// "The documented package is not built": when a package's package.json points at files that do not exist (its
// `exports` or `main` name a `dist/` nobody built), every block importing it fails the same way. One finding per
// page says so, instead of one "Cannot find module" per block; the other blocks it stopped are accounted for as
// not checked, never as passed.
import fs from "node:fs";
import path from "node:path";
import type { Finding } from "./types.js";

interface Unbuilt {
  name: string;
  /** A target the package.json names that does not exist, relative to the package. */
  missing: string;
}

/** Strings in an `exports` value (conditions and nested objects flattened). */
function targets(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(targets);
  if (value && typeof value === "object") return Object.values(value).flatMap(targets);
  return [];
}

function readManifest(dir: string): { name?: unknown; exports?: unknown; main?: unknown; module?: unknown; types?: unknown } | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  } catch {
    return undefined;
  }
}

/** The package at `dir` is unbuilt when every file its package.json points at (for `subpath`) is missing. */
function unbuiltAt(dir: string, subpath: string): Unbuilt | undefined {
  const pkg = readManifest(dir);
  if (!pkg || typeof pkg.name !== "string") return undefined;
  let wanted: string[];
  if (pkg.exports !== undefined) {
    const exp = pkg.exports;
    const entry = typeof exp === "string" || Array.isArray(exp) || !Object.keys(exp as object).some((k) => k.startsWith("."))
      ? subpath === "." ? exp : undefined
      : (exp as Record<string, unknown>)[subpath];
    wanted = targets(entry);
  } else {
    wanted = subpath === "." ? [pkg.main, pkg.module, pkg.types].filter((x): x is string => typeof x === "string") : [];
  }
  wanted = wanted.filter((t) => t.startsWith("./") && !t.includes("*"));
  if (!wanted.length || wanted.some((t) => fs.existsSync(path.join(dir, t)))) return undefined;
  return { name: pkg.name, missing: wanted[0]! };
}

/** Resolves a bare specifier to the package directory (self-reference at the root, else node_modules upward). */
function packageFor(specifier: string, from: string, root: string): Unbuilt | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:")) return undefined;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
  const subpath = specifier === name ? "." : `.${specifier.slice(name.length)}`;
  if (readManifest(root)?.name === name) return unbuiltAt(root, subpath);
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (fs.existsSync(path.join(candidate, "package.json"))) return unbuiltAt(candidate, subpath);
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** A missing absolute file inside a package (the run stage's "Cannot find module '/…/dist/index.js'"). */
function packageOfMissingFile(file: string): Unbuilt | undefined {
  if (fs.existsSync(file)) return undefined;
  // `import "dayjs/locale/es"` of a built package without `exports`: the file is there with its extension, which
  // Node's ESM resolution does not add. A real error of the import (Node says "Did you mean …es.js?"), not a build.
  if ([".js", ".mjs", ".cjs", ".json", "/index.js"].some((ext) => fs.existsSync(file + ext))) return undefined;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pkg = readManifest(dir);
    if (pkg && typeof pkg.name === "string") return { name: pkg.name, missing: `./${path.relative(dir, file).split(path.sep).join("/")}` };
    if (path.dirname(dir) === dir) return undefined;
  }
}

function unbuiltOf(f: Finding, root: string): Unbuilt | undefined {
  if (f.severity !== "error" || !f.blockId) return undefined;
  if (f.ruleId === "ts2307") {
    const specifier = /Cannot find module '([^']+)'/.exec(f.message)?.[1];
    return specifier ? packageFor(specifier, path.join(root, path.dirname(f.page)), root) : undefined;
  }
  if (f.ruleId === "run/threw") {
    const m = /Cannot find (?:module|package) '((?:file:\/\/)?\/[^']+)'/.exec(f.message)?.[1];
    return m ? packageOfMissingFile(m.startsWith("file://") ? new URL(m).pathname : m) : undefined;
  }
  return undefined;
}

/** One finding per page and unbuilt package; the blocks it stands for are returned as not checked. */
export function collapseUnbuilt(findings: Finding[], root: string): { findings: Finding[]; notChecked: Map<string, string> } {
  const groups = new Map<string, { unbuilt: Unbuilt; list: Finding[] }>();
  for (const f of findings) {
    const unbuilt = unbuiltOf(f, root);
    if (!unbuilt) continue;
    const key = `${f.page}\u0000${unbuilt.name}`;
    const group = groups.get(key) ?? { unbuilt, list: [] };
    group.list.push(f);
    groups.set(key, group);
  }
  const notChecked = new Map<string, string>();
  if (!groups.size) return { findings, notChecked };
  const drop = new Set<Finding>();
  const replace = new Map<Finding, Finding>();
  for (const { unbuilt, list } of groups.values()) {
    list.sort((a, b) => a.place.start.offset - b.place.start.offset);
    const first = list[0]!;
    const blocks = new Set(list.map((f) => f.blockId!));
    const { hint: _hint, ...rest } = first;
    replace.set(first, {
      ...rest,
      ruleId: "package-not-built",
      message:
        `The package \`${unbuilt.name}\` is not built: its package.json points at \`${unbuilt.missing}\`, which does not exist, ` +
        `so ${blocks.size === 1 ? "this block" : `the ${blocks.size} blocks on this page that import it`} cannot be checked. ` +
        "Build the package (e.g. `npm run build`) before validating its docs.",
    });
    for (const f of list.slice(1)) {
      drop.add(f);
      if (f.blockId !== first.blockId) notChecked.set(f.blockId!, `not checked: the package \`${unbuilt.name}\` is not built (see line ${first.place.start.line})`);
    }
  }
  return { findings: findings.filter((f) => !drop.has(f)).map((f) => replace.get(f) ?? f), notChecked };
}
