// ANSI colours only when a person is reading (a TTY, and NO_COLOR unset).
const on = process.stdout.isTTY && !('NO_COLOR' in process.env);
const wrap = (code: number) => (text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

export const paint = { bold: wrap(1), dim: wrap(2), red: wrap(31), green: wrap(32) };
