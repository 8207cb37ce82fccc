// SARIF 2.1.0 reporter (GitHub code scanning, Azure DevOps, IDE viewers): one run, rule metadata with a link to the
// rule's doc, one result per finding with its Markdown page and region. test/report/ci-formats.test.ts validates
// the output against the SARIF 2.1.0 JSON schema.
import type { CheckResult, Finding, ReportFile, Reporter, Severity } from "../types.js";
import { ruleDocUrl } from "./links.js";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  helpUri?: string;
  properties: { stage: string };
}

function describeRule(f: Finding): string {
  if (/^ts\d+$/.test(f.ruleId)) return `TypeScript error ${f.ruleId.slice(2)}`;
  return `validate-docs ${f.stage} check ${f.ruleId}`;
}

export const sarifReporter: Reporter = {
  id: "sarif",
  render(result: CheckResult): ReportFile[] {
    const findings = result.pages.flatMap((p) => p.findings);
    const rules: SarifRule[] = [];
    const index = new Map<string, number>();
    for (const f of findings) {
      if (index.has(f.ruleId)) continue;
      index.set(f.ruleId, rules.length);
      const helpUri = ruleDocUrl(f, result.tool.version);
      rules.push({ id: f.ruleId, name: f.ruleId, shortDescription: { text: describeRule(f) }, ...(helpUri ? { helpUri } : {}), properties: { stage: f.stage } });
    }
    const results = findings.map((f) => ({
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId)!,
      level: LEVEL[f.severity],
      message: { text: [f.message, f.hint ? `hint: ${f.hint}` : "", f.suggestion ? `suggestion: ${f.suggestion}` : ""].filter(Boolean).join("\n") },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: encodeURI(f.page), uriBaseId: "ROOT" },
            region: {
              startLine: f.place.start.line,
              startColumn: f.place.start.column,
              endLine: Math.max(f.place.end.line, f.place.start.line),
              endColumn: f.place.end.line > f.place.start.line ? f.place.end.column : Math.max(f.place.end.column, f.place.start.column + 1),
            },
          },
        },
      ],
      // The block id moves with the fence; code scanning matches results across runs by this key instead.
      partialFingerprints: { "validateDocs/finding/v1": `${f.page}|${f.ruleId}|${f.blockId ?? ""}|${f.message.split("\n")[0]}` },
      ...(f.blockId ? { properties: { blockId: f.blockId, stage: f.stage } } : { properties: { stage: f.stage } }),
    }));
    const root = result.root.endsWith("/") ? result.root : `${result.root}/`;
    const log = {
      $schema: "https://json.schemastore.org/sarif-2.1.0.json",
      version: "2.1.0",
      runs: [
        {
          tool: { driver: { name: result.tool.name, version: result.tool.version, semanticVersion: result.tool.version, rules } },
          originalUriBaseIds: { ROOT: { uri: `file://${encodeURI(root.startsWith("/") ? root : `/${root.replace(/\\/g, "/")}`)}` } },
          results,
          invocations: [{ executionSuccessful: true }],
        },
      ],
    };
    return [{ path: "results.sarif", content: JSON.stringify(log, null, 2) + "\n" }];
  },
};
