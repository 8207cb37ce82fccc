import type { ReporterId } from "../options.js";
import type { Reporter } from "../types.js";
import { consoleReporter } from "./console.js";
import { jsonReporter } from "./json.js";
import { githubReporter } from "./github.js";
import { htmlReporter } from "./html.js";
import { junitReporter } from "./junit.js";
import { markdownReporter } from "./markdown.js";
import { sarifReporter } from "./sarif.js";

/** Explicit registry of reporters: exactly the ids of the option table's REPORTER_IDS (the `satisfies` checks it). */
export const reporters: Record<string, Reporter> = {
  console: consoleReporter,
  json: jsonReporter,
  markdown: markdownReporter,
  junit: junitReporter,
  sarif: sarifReporter,
  github: githubReporter,
  html: htmlReporter,
} satisfies Record<ReporterId, Reporter>;

export { deliverReports, writeReport, type ReporterOutput } from "./writer.js";
