import { request } from '../../api';
import { saveDownload } from '../../download';
import { splitDocument } from './mediation-view';

/*
 * The case's file (一案一档): each document is printable HTML the API writes from the case
 * (GET /v1/cases/{id}/documents/{kind}). The route wants the caller's token (the documents name the
 * parties), so a plain link cannot open it: the console asks for it with the token, then shows it
 * in a window of its own or saves it as a file.
 *
 * The window is opened at the click, before the answer comes (a window opened later is a pop-up
 * the browser may block), and is the console's own (same origin, so under its Content Security
 * Policy: no inline style or script). The document's stylesheet, its A4 print rules included, is
 * given to the window as a constructed stylesheet, which the policy does not forbid; its print
 * button gets a listener instead of its inline handler, and nothing else of it runs.
 */

export class WindowBlocked extends Error {
  constructor() {
    super('the browser did not open a window');
    this.name = 'WindowBlocked';
  }
}

type DocumentWindow = Window & typeof globalThis;

/** Puts the API's HTML into `target`: its body, its title and language, its stylesheet; no script, no inline handler. */
export function showDocument(target: DocumentWindow, html: string): void {
  const { css, markup } = splitDocument(html);
  const parsed = new DOMParser().parseFromString(markup, 'text/html');
  for (const node of parsed.querySelectorAll('style, script, link, meta, base, iframe, object, embed')) node.remove();
  const doc = target.document;
  doc.documentElement.lang = parsed.documentElement.lang || 'zh-CN';
  doc.title = parsed.title;
  doc.body.replaceWith(doc.importNode(parsed.body, true));
  const sheet = new target.CSSStyleSheet();
  sheet.replaceSync(css);
  doc.adoptedStyleSheets = [sheet];
  for (const button of doc.querySelectorAll('[data-print]')) button.addEventListener('click', () => target.print());
}

/** Opens the document in a new window (call it from the click itself). `waiting` shows while it is fetched. */
export async function openDocument(href: string, waiting: string): Promise<void> {
  const target = window.open('', '_blank') as DocumentWindow | null;
  if (!target) throw new WindowBlocked();
  target.document.title = waiting;
  target.document.body.textContent = waiting;
  try {
    const response = await request('GET', href);
    showDocument(target, await response.text());
    target.focus();
  } catch (error) {
    target.close();
    throw error;
  }
}

/** Saves the document as an HTML file (the name the API gives it, else `fallbackName`). */
export async function downloadDocument(href: string, fallbackName: string): Promise<void> {
  await saveDownload(await request('GET', href), fallbackName);
}
