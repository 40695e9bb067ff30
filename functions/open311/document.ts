/**
 * Open311 answers as one tree that is written as JSON or as XML, so both formats always say the
 * same thing. GeoReport v2's XML wraps every list in an element and names each item
 * (<services><service>…); its JSON is a bare array. A `List` carries the item's element name,
 * which JSON drops. Absent values are left out in both.
 */
export class List {
  constructor(
    readonly item: string,
    readonly items: readonly Value[],
  ) {}
}
export type Value = string | number | boolean | undefined | List | { readonly [key: string]: Value };

/** A whole answer: the XML root element's name and what it holds. */
export interface Open311Document {
  readonly root: string;
  readonly value: Value;
}

export type Format = 'json' | 'xml';

export const CONTENT_TYPES: Readonly<Record<Format, string>> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

function toJson(value: Value): unknown {
  if (value instanceof List) return value.items.map(toJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}

/** XML 1.0 admits neither most control characters nor lone surrogates: they are dropped, the rest escaped. */
export function xmlText(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function element(name: string, value: Value): string {
  if (!XML_NAME.test(name)) throw new Error(`not an XML element name: ${name}`);
  if (value === undefined) return '';
  if (value instanceof List) return `<${name}>${value.items.map((item) => element(value.item, item)).join('')}</${name}>`;
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value).map(([k, v]) => element(k, v)).join('')}</${name}>`;
  }
  return `<${name}>${xmlText(String(value))}</${name}>`;
}

/** The answer's body in `format`: UTF-8 JSON, or XML with its declaration, as the spec asks. */
export function serialize(document: Open311Document, format: Format): string {
  if (format === 'json') return JSON.stringify(toJson(document.value));
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(document.root, document.value)}`;
}

/**
 * A resource segment as `<name>.<format>`: `services.json`, `routine.xml`, `01JD….json`.
 * Undefined when the extension is not one of ours.
 */
export function splitResource(segment: string): { name: string; format: Format } | undefined {
  const dot = segment.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const format = segment.slice(dot + 1).toLowerCase();
  if (format !== 'json' && format !== 'xml') return undefined;
  return { name: segment.slice(0, dot), format };
}
