import { fileNameOf, xlsxNameOf } from './download-name';
import { saveBlob } from './download';

/**
 * The Excel downloads (board export, statistics): the API answers CSV only, so the API stays the
 * one source of the rows, the columns, their Chinese names and the neutralised cells (a title
 * starting with `=` comes as `'=…`); the console turns that CSV into a workbook in the page.
 * The CSV parser and the workbook writer are loaded only when a workbook is asked for
 * (./xlsx-workbook.ts, a chunk of its own), so the console's first load does not carry them.
 */

/**
 * Saves the API's CSV answer as an .xlsx workbook of one sheet named `sheetName` (in the
 * reader's language), under the name the API gives the CSV (else `fallbackCsvName`) with .xlsx.
 */
export async function saveCsvAsWorkbook(response: Response, fallbackCsvName: string, sheetName: string): Promise<void> {
  const csvName = fileNameOf(response.headers.get('content-disposition'), fallbackCsvName);
  const [text, { workbookOf }] = await Promise.all([response.text(), import('./xlsx-workbook')]);
  saveBlob(await workbookOf(text, sheetName), xlsxNameOf(csvName));
}
