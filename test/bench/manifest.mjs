// A corpus manifest (test/bench/make-corpus.mjs, or ../shared/bench/make-corpus.mjs through --corpus-script)
// against validate-docs' JSON report of that corpus: the one comparison of the bench (test/bench/bench.mjs) and of
// test/cli/corpus.test.ts. Types: manifest.d.mts.

/**
 * Which of the shared generator's deliberate type errors also throw when run (its manifest has no `throws`), read
 * from its templates: basicSpan passes an object to setAttribute (its SDK throws TypeError "bad attribute"),
 * generics calls the misspelled `tracer.startSpn` outside its try, customExporter omits serviceName (the
 * constructor throws), nestedSpans calls toUpperCase on a number inside an awaited Promise.all, instrumentations
 * iterates a single instrumentor. Its other mistakes only mistype a value that is still valid at run time, and its
 * banned and clean blocks never throw.
 */
const SHARED_THROWING_WHEN_MISTYPED = new Set(["basicSpan", "generics", "customExporter", "nestedSpans", "instrumentations"]);

/** Whether running the manifest row's block throws (`run/threw`). */
export function expectThrows(row) {
  return row.throws ?? (row.expectTypeError !== null && row.expectTypeError !== undefined && SHARED_THROWING_WHEN_MISTYPED.has(row.template));
}

/** The error findings a report of the corpus must have: one per type error, per throwing block and per banned block. */
export function expectedErrors(manifest, { lint = true, run = true } = {}) {
  return manifest.reduce((n, m) => n + (m.expectTypeError ? 1 : 0) + (run && expectThrows(m) ? 1 : 0) + (lint && m.banned ? 1 : 0), 0);
}

/**
 * Problems of a validate-docs report (its index.json) against the manifest; [] when every block has exactly the
 * error findings the manifest implies: its type error with TypeScript 6's code, `run/threw` when it throws (with
 * `run`), `no-init-instrumentors` when it uses the banned pattern (with `lint`), and nothing else. Warnings and
 * notes are not compared (the banned pattern also calls the deprecated Tracer.init, a `no-deprecated` warning).
 */
export function checkReport(index, manifest, { lint = true, run = true } = {}) {
  const problems = [];
  const pages = new Map(index.pages.map((p) => [p.page, p]));
  const rowsOf = new Map();
  for (const m of manifest) rowsOf.set(m.page, [...(rowsOf.get(m.page) ?? []), m]);
  for (const page of index.pages) {
    if (!rowsOf.has(page.page)) problems.push(`${page.page}: in the report, not in the manifest`);
    else if (page.blocks.length !== rowsOf.get(page.page).length) problems.push(`${page.page}: ${page.blocks.length} blocks reported, the manifest has ${rowsOf.get(page.page).length}`);
    const blockIds = new Set(page.blocks.map((b) => b.id));
    for (const f of page.findings) {
      if (f.severity === "error" && !blockIds.has(f.blockId)) problems.push(`${page.page}: error outside any block: ${f.ruleId} ${f.message}`);
    }
  }
  for (const m of manifest) {
    const at = `${m.page} block ${m.index}`;
    const page = pages.get(m.page);
    const block = page?.blocks[m.index - 1];
    if (!block) {
      problems.push(`${at}: not in the report`);
      continue;
    }
    const own = page.findings.filter((f) => f.blockId === block.id && f.severity === "error");
    const codes = own.filter((f) => f.stage === "typecheck").map((f) => f.ruleId);
    const expected = m.expectTypeError ? [`ts${m.expectTypeError}`] : [];
    if (codes.join() !== expected.join()) problems.push(`${at} (${m.template}): type errors ${codes.join() || "none"}, expected ${expected.join() || "none"}`);
    const banned = own.some((f) => f.ruleId === "no-init-instrumentors");
    if (lint && banned !== m.banned) problems.push(`${at} (${m.template}): banned pattern ${banned ? "reported" : "missed"}`);
    const threw = own.some((f) => f.ruleId === "run/threw");
    if (run && threw !== expectThrows(m)) problems.push(`${at} (${m.template}): ${threw ? "threw" : "did not throw"} when run, expected ${threw ? "no throw" : "run/threw"}`);
    const other = own.filter((f) => f.stage !== "typecheck" && f.ruleId !== "no-init-instrumentors" && f.ruleId !== "run/threw");
    for (const f of other) problems.push(`${at} (${m.template}): unexpected ${f.ruleId}: ${f.message}`);
  }
  return problems;
}
