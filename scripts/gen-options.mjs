// Rewrites what the option table (src/options.ts) generates: the JSDoc of every UserConfig member in
// src/config-types.ts (members in table order) and the table in docs/configuration.md between its markers.
// Run: npm run gen:options (builds first). test/config/options.test.ts fails when either is out of date.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { CONFIG_OPTIONS, jsdocText, optionsMarkdown } = await import(path.join(repo, "dist/src/options.js"));

/** A JSDoc block at `indent`, wrapped at 120 columns; `*​/` inside is escaped. */
function jsdoc(text, indent) {
  const escaped = text.replace(/\*\//g, "*\\/");
  const one = `${indent}/** ${escaped} */`;
  if (one.length <= 120) return one;
  const lines = [];
  let line = "";
  for (const word of escaped.split(" ")) {
    if (line && `${indent} * ${line} ${word}`.length > 120) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return [`${indent}/**`, ...lines.map((l) => `${indent} * ${l}`), `${indent} */`].join("\n");
}

const typesFile = path.join(repo, "src/config-types.ts");
const text = fs.readFileSync(typesFile, "utf8");
const source = ts.createSourceFile(typesFile, text, ts.ScriptTarget.ES2022, true);
const iface = source.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === "UserConfig");
const members = new Map(iface.members.map((m) => [m.name.getText(source), m.getText(source).replace(/^\/\*\*[\s\S]*?\*\/\s*/, "")]));
const missing = [...CONFIG_OPTIONS.keys()].filter((k) => !members.has(k));
const extra = [...members.keys()].filter((k) => !CONFIG_OPTIONS.has(k));
if (missing.length || extra.length) {
  console.error(`UserConfig and the option table differ: missing in UserConfig: ${missing.join(", ") || "none"}; not in the table: ${extra.join(", ") || "none"}`);
  process.exit(1);
}
const body = [...CONFIG_OPTIONS].map(([key, option]) => `${jsdoc(jsdocText(option), "  ")}\n  ${members.get(key)}`).join("\n");
const open = text.indexOf("{", iface.name.end);
const head = "\n  // Generated from the option table (src/options.ts) by `npm run gen:options`; test/config/options.test.ts checks it.\n";
fs.writeFileSync(typesFile, `${text.slice(0, open + 1)}${head}${body}\n${text.slice(iface.end - 1)}`);

const docFile = path.join(repo, "docs/configuration.md");
const doc = fs.readFileSync(docFile, "utf8");
const re = /(<!-- options-table:start[^>]*-->\n)[\s\S]*?(<!-- options-table:end -->)/;
if (!re.test(doc)) {
  console.error("docs/configuration.md lost its options-table markers");
  process.exit(1);
}
fs.writeFileSync(docFile, doc.replace(re, (_, start, end) => `${start}${optionsMarkdown()}\n${end}`));
console.log("updated src/config-types.ts (UserConfig JSDoc) and docs/configuration.md (options table)");
