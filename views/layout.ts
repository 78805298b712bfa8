// The page shell shared by every full page. No inline script or style anywhere: the pages run under
// `script-src 'self'; style-src 'self'`, so behaviour lives in /static/app.js and looks in /static/app.css.
import { html, type SafeHtml } from './html.js';

export interface LayoutOptions {
  /** Text of <title>; escaped like everything else. */
  readonly title: string;
  readonly body: SafeHtml;
  /** Pages with search-as-you-type load htmx; the document page does not need it. */
  readonly htmx: boolean;
}

export function pageTitle(part: string | null): string {
  return part ? `${part} – 搜 Sou` : '搜 Sou · 中文全文搜索';
}

export function layout({ title, body, htmx }: LayoutOptions): SafeHtml {
  // includeIndicatorCSS:false — htmx would otherwise add its own stylesheet; app.css styles the indicator.
  return html`<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="htmx-config" content='{"includeIndicatorCSS": false}'>
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/app.css">
${htmx ? html`<script src="/static/htmx.min.js" defer></script>
<script src="/static/suggest.js" defer></script>` : ''}
<script src="/static/app.js" defer></script>
</head>
<body>
<a class="skip" href="#main">跳到内容</a>
${body}
</body>
</html>
`;
}
