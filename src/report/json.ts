// JSON reporter: index.json (the whole CheckResult) + pages/<page>.json (one PageResult each).
// The format is versioned and documented in docs/reports.md.
import type { CheckResult, ReportFile, Reporter } from "../types.js";
import { pageReportPath } from "./paths.js";
import { templateJsonFiles } from "./templates.js";

export const jsonReporter: Reporter = {
  id: "json",
  render(result: CheckResult): ReportFile[] {
    const files: ReportFile[] = [{ path: "index.json", content: JSON.stringify(result, null, 2) + "\n" }];
    for (const page of result.pages) {
      const doc = { version: result.version, tool: result.tool, ...page };
      files.push({ path: pageReportPath(page.page, "json"), content: JSON.stringify(doc, null, 2) + "\n" });
    }
    files.push(...templateJsonFiles(result.templates));
    return files;
  },
};
