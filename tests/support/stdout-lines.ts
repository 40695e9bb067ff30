/** The JSON lines written to stdout while `run` runs (EMF metrics, the logger): captured, not printed. */
export function stdoutJsonLines(run: () => unknown): Array<Record<string, any>> {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return lines.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}
