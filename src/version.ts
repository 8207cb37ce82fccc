// The tool's version and package root, read once from the nearest package.json above this file (works from src/
// and from dist/).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The directory of this package (where its package.json, docs/ and rules' docs live). */
export const PACKAGE_ROOT: string = findPackageRoot();
export const VERSION: string = readOwnVersion();

function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.dirname(fileURLToPath(import.meta.url));
    dir = up;
  }
}

function readOwnVersion(): string {
  const file = path.join(PACKAGE_ROOT, "package.json");
  if (!fs.existsSync(file)) return "0.0.0";
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}
