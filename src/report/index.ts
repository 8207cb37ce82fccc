import type { Reporter } from "../types.js";
import { consoleReporter } from "./console.js";
import { jsonReporter } from "./json.js";
import { markdownReporter } from "./markdown.js";

/** Explicit registry of reporters; CI formats (JUnit, SARIF, GitHub annotations, HTML) plug in here. */
export const reporters: Record<string, Reporter> = {
  console: consoleReporter,
  json: jsonReporter,
  markdown: markdownReporter,
};

export { writeReport } from "./writer.js";
