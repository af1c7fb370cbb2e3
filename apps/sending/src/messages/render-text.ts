import { InvalidArgumentError } from '@sabia/errors';

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]{1,64})\s*\}\}/g;

/** Fills {{name}} placeholders; a placeholder without a value is the caller's mistake. */
export function renderText(template: string, variables: Record<string, string>, where: string): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = variables[name];
    if (value === undefined) throw new InvalidArgumentError(`${where}: no value for {{${name}}}`, { field: where });
    return value;
  });
}
