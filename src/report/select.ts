// Which reporters a run uses: the configured ones, plus GitHub annotations when running in GitHub Actions next to
// the console reporter (the console output stays; annotations and the job summary are added).

export function activeReporters(configured: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const ids = [...configured];
  if (env.GITHUB_ACTIONS === "true" && ids.includes("console") && !ids.includes("github")) ids.splice(ids.indexOf("console") + 1, 0, "github");
  return ids;
}
