import Ajv2020 from 'ajv/dist/2020';
import { XMLParser } from 'fast-xml-parser';

/*
 * GeoReport v2's answers as JSON Schemas, written from the specification's text
 * (wiki.open311.org/GeoReport_v2 and its Service Discovery page): the fields each method
 * returns, which are required, and their types. Fields the spec does not name are refused
 * (additionalProperties: false), so an answer that grows a field — a personal one, say — fails.
 *
 * XML answers are parsed with fast-xml-parser and checked against the same schemas: the spec's
 * XML is the JSON with each list wrapped in an element and each item named (<services><service>),
 * so XML_SHAPES says which elements are list items, and values are read back by the schema's type.
 */
const w3cDateTime = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$' };
const text = { type: 'string' };
const nonEmpty = { type: 'string', minLength: 1 };

export const SCHEMAS = {
  errors: {
    type: 'array',
    minItems: 1,
    items: { type: 'object', additionalProperties: false, required: ['code', 'description'], properties: { code: { type: 'integer', minimum: 400, maximum: 599 }, description: nonEmpty } },
  },
  discovery: {
    type: 'object',
    additionalProperties: false,
    required: ['changeset', 'contact', 'key_service', 'endpoints'],
    properties: {
      changeset: w3cDateTime,
      contact: nonEmpty,
      key_service: nonEmpty,
      endpoints: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['specification', 'url', 'changeset', 'type', 'formats'],
          properties: {
            specification: { const: 'http://wiki.open311.org/GeoReport_v2' },
            url: { type: 'string', pattern: '^https?://' },
            changeset: w3cDateTime,
            type: { enum: ['production', 'test'] },
            formats: { type: 'array', minItems: 1, items: { enum: ['text/xml', 'application/json'] } },
          },
        },
      },
    },
  },
  services: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['service_code', 'service_name', 'metadata', 'type'],
      properties: {
        service_code: nonEmpty,
        service_name: nonEmpty,
        description: text,
        metadata: { type: 'boolean' },
        type: { enum: ['realtime', 'batch', 'blackbox'] },
        keywords: text,
        group: text,
      },
    },
  },
  service_definition: {
    type: 'object',
    additionalProperties: false,
    required: ['service_code', 'attributes'],
    properties: {
      service_code: nonEmpty,
      attributes: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['variable', 'code', 'datatype', 'required', 'order', 'description'],
          properties: {
            variable: { type: 'boolean' },
            code: nonEmpty,
            datatype: { enum: ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] },
            required: { type: 'boolean' },
            datatype_description: text,
            order: { type: 'integer', minimum: 0 },
            description: nonEmpty,
            values: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['key', 'name'], properties: { key: nonEmpty, name: nonEmpty } } },
          },
          // A list attribute lists its values.
          if: { properties: { datatype: { enum: ['singlevaluelist', 'multivaluelist'] } } },
          then: { required: ['values'], properties: { values: { type: 'array', minItems: 1 } } },
        },
      },
    },
  },
  service_requests: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['service_request_id', 'status', 'service_code', 'requested_datetime'],
      properties: {
        service_request_id: nonEmpty,
        status: { enum: ['open', 'closed'] },
        status_notes: text,
        service_name: text,
        service_code: nonEmpty,
        description: text,
        agency_responsible: text,
        service_notice: text,
        requested_datetime: w3cDateTime,
        updated_datetime: w3cDateTime,
        expected_datetime: w3cDateTime,
        address: text,
        address_id: text,
        zipcode: text,
        lat: { type: 'number', minimum: -90, maximum: 90 },
        long: { type: 'number', minimum: -180, maximum: 180 },
        media_url: { type: 'string', pattern: '^https?://' },
      },
    },
  },
  created: {
    type: 'array',
    minItems: 1,
    maxItems: 1,
    items: {
      type: 'object',
      additionalProperties: false,
      // The spec answers a POST with the request's id, or with a token when the id comes later.
      anyOf: [{ required: ['service_request_id'] }, { required: ['token'] }],
      properties: { service_request_id: nonEmpty, token: nonEmpty, service_notice: text, account_id: text },
    },
  },
  tokens: {
    type: 'array',
    items: { type: 'object', additionalProperties: false, required: ['token'], properties: { service_request_id: nonEmpty, token: nonEmpty } },
  },
} as const;
export type SchemaName = keyof typeof SCHEMAS;

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
const validators = Object.fromEntries(Object.entries(SCHEMAS).map(([name, schema]) => [name, ajv.compile(schema)])) as Record<SchemaName, ReturnType<typeof ajv.compile>>;

/** The errors ajv finds in `value` against the named schema, or [] when it is valid. */
export function violations(name: SchemaName, value: unknown): string[] {
  const validate = validators[name];
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Each document's XML root element, and the names of its list items by their parent's path. */
export const XML_SHAPES: Record<SchemaName, { root: string; lists: Record<string, string> }> = {
  errors: { root: 'errors', lists: { errors: 'error' } },
  discovery: { root: 'discovery', lists: { 'discovery.endpoints': 'endpoint', 'discovery.endpoints.endpoint.formats': 'format' } },
  services: { root: 'services', lists: { services: 'service' } },
  service_definition: { root: 'service_definition', lists: { 'service_definition.attributes': 'attribute', 'service_definition.attributes.attribute.values': 'value' } },
  service_requests: { root: 'service_requests', lists: { service_requests: 'request' } },
  created: { root: 'service_requests', lists: { service_requests: 'request' } },
  tokens: { root: 'service_requests', lists: { service_requests: 'request' } },
};

type Schema = Record<string, any>;

/** The XML's element tree read back into the JSON shape, each leaf by the type its schema gives. */
function fromXml(node: unknown, schema: Schema, path: string, lists: Record<string, string>): unknown {
  const item = lists[path];
  if (item !== undefined) {
    // An empty list is an empty element: the parser gives '' for it.
    if (node === '' || node === undefined) return [];
    if (typeof node !== 'object' || node === null) return node;
    const keys = Object.keys(node);
    if (keys.some((k) => k !== item)) return { unexpectedElements: keys };
    const items = ((node as Record<string, unknown>)[item] as unknown[]) ?? [];
    return items.map((entry) => fromXml(entry, schema.items ?? {}, `${path}.${item}`, lists));
  }
  if (schema.type === 'object' || schema.properties) {
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fromXml(value, schema.properties?.[key] ?? {}, `${path}.${key}`, lists)]));
  }
  if (typeof node !== 'string') return node;
  if (schema.type === 'boolean') return node === 'true' ? true : node === 'false' ? false : node;
  if (schema.type === 'integer' || schema.type === 'number') return /^-?\d+(\.\d+)?$/.test(node) ? Number(node) : node;
  return node;
}

export interface ParsedXml {
  readonly declaration: boolean;
  readonly root: string;
  readonly value: unknown;
}

/** Parses an XML answer: checks it is well formed and has the spec's declaration, then reads it as `name`'s JSON shape. */
export function readXml(name: SchemaName, xml: string): ParsedXml {
  const shape = XML_SHAPES[name];
  const listPaths = new Set(Object.entries(shape.lists).map(([parent, item]) => `${parent}.${item}`));
  const parser = new XMLParser({
    ignoreDeclaration: false,
    parseTagValue: false,
    trimValues: false,
    processEntities: true,
    isArray: (_tag, jpath) => listPaths.has(String(jpath)),
  });
  const parsed = parser.parse(xml, true) as Record<string, unknown>;
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>/.test(xml);
  const roots = Object.keys(parsed).filter((key) => key !== '?xml');
  if (roots.length !== 1) throw new Error(`expected one root element, got ${roots.join(', ')}`);
  const schema = SCHEMAS[name] as Schema;
  const value = fromXml(parsed[roots[0]], schema, shape.root, shape.lists);
  return { declaration, root: roots[0], value };
}
