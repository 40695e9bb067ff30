import { fileNameOf } from './download-name';

/** Saves a blob made in the page as a file named `name` (a link the page clicks itself). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Saves an API answer as a file, under the name the API gives it (or `fallbackName`; always
 * `fallbackName` when `ownName`). The request itself went through `request`: a token is needed,
 * so a plain link cannot do it.
 */
export async function saveDownload(response: Response, fallbackName: string, ownName = false): Promise<void> {
  const name = ownName ? fallbackName : fileNameOf(response.headers.get('content-disposition'), fallbackName);
  saveBlob(await response.blob(), name);
}
