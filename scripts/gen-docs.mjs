// Rewrites what the option and attribute tables generate: from src/options.ts, the JSDoc of every UserConfig
// member in src/config-types.ts (members in table order) and the table in docs/configuration.md; from
// src/extract/attribute-table.ts, the block attribute and page directive tables in docs/attributes.md.
// Run: npm run gen:docs (builds first). test/config/options.test.ts and test/extract/attribute-table.test.ts fail
// when any of them is out of date.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { CONFIG_OPTIONS, jsdocText, optionsMarkdown } = await import(path.join(repo, "dist/src/options.js"));
const { attributesMarkdown } = await import(path.join(repo, "dist/src/extract/attribute-table.js"));

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
const head = "\n  // Generated from the option table (src/options.ts) by `npm run gen:docs`; test/config/options.test.ts checks it.\n";
fs.writeFileSync(typesFile, `${text.slice(0, open + 1)}${head}${body}\n${text.slice(iface.end - 1)}`);

/** Replaces the text between `<!-- NAME:start … -->` and `<!-- NAME:end -->` in a doc. */
function replaceBetween(file, name, text) {
  const doc = fs.readFileSync(file, "utf8");
  const re = new RegExp(`(<!-- ${name}:start[^>]*-->\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!re.test(doc)) {
    console.error(`${path.relative(repo, file)} lost its ${name} markers`);
    process.exit(1);
  }
  fs.writeFileSync(file, doc.replace(re, (_, start, end) => `${start}${text}\n${end}`));
}

replaceBetween(path.join(repo, "docs/configuration.md"), "options-table", optionsMarkdown());
replaceBetween(path.join(repo, "docs/attributes.md"), "attributes-table", attributesMarkdown("block"));
replaceBetween(path.join(repo, "docs/attributes.md"), "directives-table", attributesMarkdown("page"));
console.log("updated src/config-types.ts (UserConfig JSDoc), docs/configuration.md (options table), docs/attributes.md (attribute and directive tables)");
