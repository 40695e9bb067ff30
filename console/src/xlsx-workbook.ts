import Papa from 'papaparse';
import writeXlsxFile, { type Cell, type SheetData } from 'write-excel-file/browser';

/*
 * A CSV text to an .xlsx workbook, in the browser. Loaded lazily (./xlsx-export.ts).
 *
 * write-excel-file writes the workbook: small (its only dependency is fflate, the zip), made for
 * the browser, maintained and published on npm; a cell is a formula only when typed so, so every
 * cell here is a text or a number. exceljs reads and writes everything but weighs several times
 * the console's whole budget; SheetJS's npm package is years behind its own releases.
 * papaparse reads the CSV (RFC 4180: quoted cells with commas, quotes and line breaks).
 */

/**
 * A cell read as a number: a plain decimal with at most 10 digits before the point and no
 * leading zero (a count, a rate, hours). Anything else stays the text the API wrote — so a phone
 * number, an ID or a code like 007 is not turned into a number that loses its digits or shape.
 */
const NUMBER = /^-?(?:0|[1-9]\d{0,9})(?:\.\d{1,9})?$/;

/** Excel's limits on a sheet's name: at most 31 characters, none of : \ / ? * [ ]. */
export const sheetNameOf = (name: string): string => name.replace(/[:\\/?*[\]]/g, ' ').trim().slice(0, 31) || 'Sheet1';

/** The CSV's rows, its byte-order mark dropped; a CSV that does not parse is refused, not guessed at. */
export function csvRows(text: string): string[][] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { delimiter: ',', quoteChar: '"', skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const [first] = parsed.errors;
    throw new Error(`CSV row ${(first.row ?? 0) + 1}: ${first.message}`);
  }
  return parsed.data;
}

export function cellOf(text: string): Cell {
  if (text === '') return null;
  if (NUMBER.test(text)) return { type: Number, value: Number(text) };
  return { type: String, value: text };
}

/** The workbook: the CSV's header row in bold and frozen, then every row, cell for cell. */
export function sheetDataOf(rows: readonly (readonly string[])[]): SheetData {
  return rows.map((cells, index) =>
    index === 0 ? cells.map((value): Cell => ({ type: String, value, fontWeight: 'bold' })) : cells.map(cellOf),
  );
}

export async function workbookOf(csv: string, sheetName: string): Promise<Blob> {
  const rows = csvRows(csv);
  const widths = (rows[0] ?? []).map((_, column) => Math.min(60, Math.max(8, ...rows.slice(0, 200).map((row) => widthOf(row[column] ?? '')))));
  return writeXlsxFile(sheetDataOf(rows), { sheet: sheetNameOf(sheetName), stickyRowsCount: 1, columns: widths.map((width) => ({ width })) }).toBlob();
}

/** A column's width in characters: a Chinese character takes about two. */
const widthOf = (text: string): number => [...text].reduce((sum, char) => sum + (char.charCodeAt(0) > 0x2e80 ? 2 : 1), 0) + 2;
