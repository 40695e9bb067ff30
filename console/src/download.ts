/**
 * Saves an API answer as a file: the name the API gives (Content-Disposition, RFC 6266, with
 * its UTF-8 `filename*` form preferred), else `fallbackName`. The request itself went through
 * `request` (a token is needed, so a plain link cannot do it).
 */
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

export async function saveDownload(response: Response, fallbackName: string, ownName = false): Promise<void> {
  const name = ownName ? fallbackName : fileNameOf(response.headers.get('content-disposition'), fallbackName);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
