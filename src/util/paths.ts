// Path helpers shared by discovery and templates: posix separators in reports and globs, literal paths in globs.
import path from "node:path";

export function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

/** A literal path as a glob pattern (parentheses, brackets, braces, `*`, `?` and `!` escaped). */
export function escapeGlob(p: string): string {
  return p.replace(/[()[\]{}*?!]/g, "\\$&");
}
