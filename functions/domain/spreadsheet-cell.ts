/**
 * One CSV cell, safe to open in a spreadsheet: quoted when it holds a comma, quote or line break,
 * and a text that starts with = + - @ (or a tab or carriage return) is neutralised with a leading
 * apostrophe, so a title like `=HYPERLINK(…)` typed by a citizen is shown, never run as a formula
 * (OWASP, "CSV injection"). Numbers are written as they are: -3 stays a number.
 */
export type Cell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function spreadsheetCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV text: CRLF line ends, UTF-8 with a byte-order mark so spreadsheet programs read the Chinese right. */
export const csvText = (rows: readonly (readonly Cell[])[]): string => `\uFEFF${rows.map((cells) => cells.map(spreadsheetCell).join(',')).join('\r\n')}\r\n`;
