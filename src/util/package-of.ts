// Which package a file belongs to, asked by every stage that names a package (the lint rules' `modules` and
// `bannedApis`, dependency-warning attribution in the run stage): the `name` of the nearest package.json above
// the file. That answer is the same whether the package was reached through node_modules, a symlink (npm links
// `file:` and workspace dependencies, and TypeScript and Node report the linked package at its real path outside
// node_modules), a workspace folder or a path mapping. A package.json without a name (`{"type":"module"}` in
// dist/esm) is passed over; inside node_modules, a package that has no named package.json at all is named by its
// folder (`node_modules/@scope/pkg/…` → `@scope/pkg`).
import fs from "node:fs";
import path from "node:path";

/** Directory → the package name found at or above it (undefined: none). Package.json files do not change mid-run. */
const byDir = new Map<string, string | undefined>();

/** The package `file` belongs to; `node:fs` and other non-file specifiers of built-ins belong to "node". */
export function packageOf(file: string): string | undefined {
  if (file.startsWith("node:")) return "node";
  const normal = path.normalize(file.replace(/\\/g, "/"));
  if (!path.isAbsolute(normal)) return undefined;
  const visited: string[] = [];
  let found: string | undefined;
  for (let dir = path.dirname(normal); ; dir = path.dirname(dir)) {
    if (byDir.has(dir)) {
      found = byDir.get(dir);
      break;
    }
    visited.push(dir);
    const name = manifestName(path.join(dir, "package.json"));
    if (name !== undefined) {
      found = name;
      break;
    }
    const parent = path.dirname(dir);
    // Leaving a package folder inside node_modules without a named package.json: the folder names the package.
    if (path.basename(parent) === "node_modules" || (path.basename(path.dirname(parent)) === "node_modules" && path.basename(parent).startsWith("@"))) {
      found = path.relative(path.basename(parent) === "node_modules" ? parent : path.dirname(parent), dir).split(path.sep).join("/");
      break;
    }
    if (parent === dir) break;
  }
  for (const dir of visited) byDir.set(dir, found);
  return found;
}

/** `@types/foo` declares package `foo`, `@types/scope__pkg` declares `@scope/pkg`; other names are unchanged. */
export function declaredPackage(name: string): string {
  return name.startsWith("@types/") ? name.slice(7).replace(/^(.+)__(.+)$/, "@$1/$2") : name;
}

/** The package a bare import specifier names (`@a/b/c` → `@a/b`, `node:fs` → `fs`); undefined for paths and URLs. */
export function packageOfSpecifier(spec: string): string | undefined {
  const s = spec.replace(/^node:/, "");
  if (s === "" || s.startsWith(".") || s.startsWith("/") || /^[a-z][a-z0-9+.-]*:/i.test(s) || /^[A-Za-z]:[\\/]/.test(s)) return undefined;
  const parts = s.split("/");
  return parts[0]!.startsWith("@") ? (parts.length > 1 ? `${parts[0]}/${parts[1]}` : undefined) : parts[0];
}

function manifestName(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as { name?: unknown };
    return typeof parsed.name === "string" && parsed.name !== "" ? parsed.name : undefined;
  } catch {
    return undefined;
  }
}
