import type * as z from 'zod/mini';

/**
 * The messages a refusal may use (keys of console/src/i18n.ts), and a translator for them. Not
 * imported from i18n.ts, which pulls in Preact: the unit tests of these rules type-check without the DOM.
 */
export type FormMessage = 'invalid.required' | 'invalid.tooLong' | 'invalid.number' | 'invalid.step' | 'invalid.phone' | 'invalid.choose' | 'invalid.other';
export type Translate = (key: FormMessage, params?: Record<string, string | number>) => string;

/*
 * Forms check what they send with the very zod schemas the API validates with (imported from
 * functions/), so a limit lives in one file; only the words are the console's, in the user's
 * language. The schemas' checks are read for the limits to show (required, length, range).
 */

type AnySchema = z.ZodMiniType;
interface SchemaInternals {
  _zod: { def: { type: string; shape?: Record<string, AnySchema>; innerType?: AnySchema; checks?: Array<{ _zod: { def: Record<string, unknown> } }> } };
}
const internals = (schema: AnySchema) => (schema as unknown as SchemaInternals)._zod.def;

export interface FieldLimits {
  readonly required: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
}

/** The limits of the field at `path` ('handler.name') in an object schema. */
export function limitsOf(schema: AnySchema, path: string): FieldLimits {
  let current: AnySchema | undefined = schema;
  let required = true;
  for (const name of path.split('.')) {
    let def: SchemaInternals['_zod']['def'] | undefined = current ? internals(current) : undefined;
    while (def && (def.type === 'optional' || def.type === 'pipe') && def.innerType) {
      if (def.type === 'optional') required = false;
      def = internals(def.innerType);
    }
    current = def?.shape?.[name];
  }
  let def: SchemaInternals['_zod']['def'] | undefined = current ? internals(current) : undefined;
  while (def?.type === 'optional' && def.innerType) {
    required = false;
    def = internals(def.innerType);
  }
  const limits: { -readonly [K in keyof FieldLimits]: FieldLimits[K] } = { required };
  for (const check of def?.checks ?? []) {
    const c = check._zod.def;
    if (c.check === 'min_length') limits.minLength = c.minimum as number;
    if (c.check === 'max_length') limits.maxLength = c.maximum as number;
    if (c.check === 'greater_than') limits.min = Number(c.value);
    if (c.check === 'less_than') limits.max = Number(c.value);
    if (c.check === 'multiple_of') limits.step = Number(c.value);
  }
  return limits;
}

/** Field errors by dotted path, in the user's words; empty when the body is valid. */
export function fieldErrors(schema: AnySchema, body: unknown, t: Translate): Record<string, string> {
  const result = schema.safeParse(body);
  if (result.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.');
    if (errors[path]) continue;
    errors[path] = messageOf(schema, path, issue as unknown as Record<string, unknown>, body, t);
  }
  return errors;
}

function valueAt(body: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, name) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined), body);
}

function messageOf(schema: AnySchema, path: string, issue: Record<string, unknown>, body: unknown, t: Translate): string {
  const limits = path ? limitsOf(schema, path) : { required: true };
  const value = valueAt(body, path);
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined || value === '' ? t('invalid.required') : t('invalid.other');
    case 'too_small':
    case 'too_big':
      if (issue.origin === 'string') {
        return issue.code === 'too_small'
          ? t('invalid.required')
          : t('invalid.tooLong', { max: Number(issue.maximum), n: typeof value === 'string' ? value.trim().length : 0 });
      }
      return t('invalid.number', { min: limits.min ?? '', max: limits.max ?? '' });
    case 'not_multiple_of':
      return t('invalid.step', { step: Number(issue.divisor) });
    case 'invalid_format':
      return /phone$/i.test(path) ? t('invalid.phone') : t('invalid.other');
    case 'invalid_value':
      return t('invalid.choose');
    case 'custom':
      return value === undefined ? t('invalid.choose') : t('invalid.other');
    default:
      return t('invalid.other');
  }
}

/** Trimmed text, or undefined when blank (an optional field left empty is not sent). */
export const textOrUndefined = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

/** Drops undefined members, so an optional field left empty is absent, not null. */
export function compact<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}
