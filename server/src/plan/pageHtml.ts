// The plan's page around its script, one skeleton for both places it is
// shown: the HTML report (script and styles inlined) and VS Code's Plan panel
// (both linked from dist/). Pure string building, so the extension host takes
// it as a helper; the callers escape what they put in.

export interface PlanPageParts {
  /** The whole Content-Security-Policy. */
  csp: string;
  /** The page's title, HTML-escaped. */
  title: string;
  /** Style elements or links. */
  head: string;
  /** The plan's elements and the scripts. */
  body: string;
}

export function planPageHtml(parts: PlanPageParts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${parts.csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${parts.title}</title>
${parts.head}
</head>
<body>
${parts.body}
</body>
</html>
`;
}
