// The tool's version, read once from the nearest package.json above this file (works from src/ and from dist/).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const VERSION: string = readOwnVersion();

function readOwnVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
    const up = path.dirname(dir);
    if (up === dir) return "0.0.0";
    dir = up;
  }
}
