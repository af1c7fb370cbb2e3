// The one place markup is assembled: every interpolated value is escaped unless it is
// already SafeHtml, so forgetting to escape a component name cannot become an injection.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and for quoted attribute values. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);

/** Markup known to be safe: produced by `html` or by `trusted` on a constant. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | readonly HtmlValue[];

const render = (value: HtmlValue): string => {
  if (value instanceof SafeHtml) return value.value;
  if (typeof value === 'object') return value.map(render).join('');
  return escapeHtml(String(value));
};

/** Tagged template: `html\`<p>${name}</p>\`` escapes `name`; nested `html` and arrays pass through. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, chunk, i) => out + render(values[i - 1] ?? '') + chunk));
}

/** For markup written in this code base (the stylesheet, icons), never for data. */
export const trusted = (markup: string) => new SafeHtml(markup);
