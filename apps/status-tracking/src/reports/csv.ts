/** One CSV field per RFC 4180; a leading = + - @ is neutralised so spreadsheets do not run it as a formula. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^[+-]?\d/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (fields: ReadonlyArray<string | number | null | undefined>): string => fields.map(csvField).join(',') + '\r\n';
