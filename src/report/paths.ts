// Where a page's report files go: `pages/<page path>.{json,md}`, never outside the report dir.

export function pageReportPath(page: string, ext: "json" | "md"): string {
  const safe = page
    .split("/")
    .map((seg) => (seg === ".." ? "__" : seg === "." || seg === "" ? "_" : seg))
    .join("/");
  return `pages/${safe}.${ext}`;
}
