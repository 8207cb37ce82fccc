// JUnit XML reporter: page → <testsuite>, block → <testcase> with <failure> (one per error finding) or <skipped>.
// The shape is the one CI dashboards read (Jenkins, GitLab, Azure, CircleCI); test/report/ci-formats.test.ts
// validates it against an XSD of that shape. XML building and escaping are fast-xml-builder's.
import XMLBuilder from "fast-xml-builder";
import type { CheckResult, Finding, PageResult, ReportFile, Reporter } from "../types.js";

/** `0.150`: seconds with millisecond precision, the form every JUnit reader accepts. */
const seconds = (ms: number) => (ms / 1000).toFixed(3);
const where = (f: Finding) => `${f.page}:${f.place.start.line}:${f.place.start.column}`;

function findingText(f: Finding): string {
  const lines = [`${where(f)} ${f.severity} ${f.ruleId} (${f.stage})`, f.message];
  if (f.hint) lines.push(`hint: ${f.hint}`);
  if (f.suggestion) lines.push(`suggestion: ${f.suggestion}`);
  if (f.origin?.file) lines.push(`from template: ${f.origin.file}${f.origin.place ? `:${f.origin.place.start.line}` : ""} (variant ${f.origin.variant})`);
  return lines.join("\n");
}

interface Case {
  name: string;
  skipped?: string;
  failures: Finding[];
  others: Finding[];
}

/** One test case per block, plus a `(page)` case for findings outside any block and for a page skipped whole. */
export function junitCases(page: PageResult): Case[] {
  const cases = new Map<string, Case>();
  for (const b of page.blocks) {
    cases.set(b.id, { name: `${b.id}${b.title ? ` (${b.title})` : ""}`, skipped: b.status === "skipped" ? b.skipReason ?? "skipped" : undefined, failures: [], others: [] });
  }
  const pageCase = (): Case => {
    let c = cases.get("");
    if (!c) cases.set("", (c = { name: `${page.page} (page)`, failures: [], others: [] }));
    return c;
  };
  if (page.skipReason !== undefined && page.blocks.length === 0) pageCase().skipped = `page skipped: ${page.skipReason || "no reason given"}`;
  for (const f of page.findings) {
    const c = (f.blockId && cases.get(f.blockId)) || pageCase();
    (f.severity === "error" ? c.failures : c.others).push(f);
  }
  // A case with an error is failed even if it was marked skipped (it is never reported as both).
  for (const c of cases.values()) if (c.failures.length) c.skipped = undefined;
  return [...cases.values()];
}

/** Characters XML 1.0 cannot carry at all (ANSI escapes in captured output, stray NULs), shown as U+FFFD. */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const xmlSafe = (_name: string, value: unknown) => (typeof value === "string" ? value.replace(NOT_XML, "\uFFFD") : value);

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  format: true,
  suppressEmptyNode: true,
  processEntities: true,
  tagValueProcessor: xmlSafe,
  attributeValueProcessor: xmlSafe,
});

export const junitReporter: Reporter = {
  id: "junit",
  render(result: CheckResult): ReportFile[] {
    const suites = result.pages.map((page) => ({ page, cases: junitCases(page) }));
    const count = (pred: (c: Case) => boolean) => suites.reduce((n, s) => n + s.cases.filter(pred).length, 0);
    const doc = {
      testsuites: {
        "@_name": result.tool.name,
        "@_tests": count(() => true),
        "@_failures": count((c) => c.failures.length > 0),
        "@_errors": 0,
        "@_skipped": count((c) => c.skipped !== undefined),
        "@_time": seconds(result.timings.total ?? 0),
        testsuite: suites.map(({ page, cases }) => ({
          "@_name": page.page,
          "@_tests": cases.length,
          "@_failures": cases.filter((c) => c.failures.length).length,
          "@_errors": 0,
          "@_skipped": cases.filter((c) => c.skipped !== undefined).length,
          "@_file": page.page,
          testcase: cases.map((c) => ({
            "@_name": c.name,
            "@_classname": page.page,
            ...(c.failures.length
              ? { failure: c.failures.map((f) => ({ "@_message": `${where(f)} ${f.message.split("\n")[0]}`, "@_type": f.ruleId, "#text": findingText(f) })) }
              : {}),
            ...(c.skipped !== undefined ? { skipped: { "@_message": c.skipped } } : {}),
            // Warnings and infos do not fail a case; they are kept as its output so nothing is lost.
            ...(c.others.length ? { "system-out": c.others.map(findingText).join("\n\n") } : {}),
          })),
        })),
      },
    };
    return [{ path: "junit.xml", content: `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(doc)}` }];
  },
};
