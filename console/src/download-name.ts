/** The name the API gives a download (Content-Disposition, RFC 6266, its UTF-8 `filename*` form preferred), else `fallbackName`. */
export function fileNameOf(disposition: string | null, fallbackName: string): string {
  if (!disposition) return fallbackName;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // a malformed escape: try the plain form
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition);
  const name = (plain?.[2] ?? plain?.[1] ?? '').trim();
  // Never a path: only the last segment.
  return name.split(/[\\/]/).pop() || fallbackName;
}

/** `cases-202612061705.csv` → `cases-202612061705.xlsx`: the CSV's name with the workbook's extension (console/src/xlsx-export.ts). */
export const xlsxNameOf = (csvName: string): string => `${csvName.replace(/\.csv$/i, '')}.xlsx`;
