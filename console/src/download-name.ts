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
