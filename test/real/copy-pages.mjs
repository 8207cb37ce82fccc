#!/usr/bin/env node
// Copies each page listed in sources.json from the installed package (test/real/node_modules, pinned by
// package-lock.json) into pages/npm/, byte for byte. Run after changing a version: `npm ci --prefix test/real &&
// node test/real/copy-pages.mjs`, then re-record the snapshots (see NOTES.md). Pages are never edited by hand;
// test/real/real.test.ts fails when a page differs from its package's file or the installed version.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const sources = JSON.parse(fs.readFileSync(path.join(here, "sources.json"), "utf8"));
for (const s of sources) {
  const pkgDir = path.join(here, "node_modules", s.package);
  const version = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")).version;
  if (version !== s.version) {
    console.error(`${s.package}: installed ${version}, sources.json says ${s.version}; update sources.json first`);
    process.exit(1);
  }
  const target = path.join(here, s.page);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(path.join(pkgDir, s.file), target);
  console.log(`${s.page} ← ${s.package}@${s.version}/${s.file}`);
}
