/**
 * The category table: what kinds of case the system knows and the windows each gets.
 * Windows are in working days (see calendar.ts). The seed's three process classes
 * (administrative approval 7, laws and regulations 17.4, routine 9) are the basis; every other
 * category states in its `rationale` which class it follows or why it differs.
 */
import * as z from 'zod/mini';
import './zod-locale';
import categoriesJson from '../../config/categories.json';

/** Declared here so the ids keep their literal types; the JSON must list exactly these, in this order. */
export const CATEGORY_IDS = [
  'administrative-approval',
  'laws-and-regulations',
  'routine',
  'road-traffic-accident',
  'urban-management',
  'property-management',
  'demolition-compensation',
  'environment-pollution',
  'labour-wages',
  'medical-dispute',
  'civil-affairs-relief',
  'neighbour-family',
  'other',
] as const;

export type CategoryId = (typeof CATEGORY_IDS)[number];

export const CategoryIdSchema = z.enum(CATEGORY_IDS);

export const CategorySchema = z
  .strictObject({
    id: CategoryIdSchema,
    name: z.string().check(z.minLength(1)),
    nameEn: z.string().check(z.minLength(1)),
    signOffWorkingDays: z.number().check(z.positive(), z.maximum(5)),
    handlingWorkingDays: z.number().check(z.positive(), z.maximum(60)),
    rationale: z.string().check(z.minLength(1)),
  })
  .check(
    z.refine((category) => category.signOffWorkingDays <= category.handlingWorkingDays, {
      message: 'the sign-off window must not be longer than the handling window',
    }),
  );

export type Category = z.infer<typeof CategorySchema>;

export const CategoryTableSchema = z.strictObject({ categories: z.array(CategorySchema) }).check(
  z.refine((table) => table.categories.map((c) => c.id).join() === CATEGORY_IDS.join(), {
    message: `categories must be exactly, in order: ${CATEGORY_IDS.join(', ')}`,
  }),
);

export class UnknownCategoryError extends Error {
  override name = 'UnknownCategoryError';
  constructor(readonly categoryId: string) {
    super(`unknown category: ${categoryId}`);
  }
}

/** Parses a category table; throws with zod's report when it does not match the schema. */
export function parseCategoryTable(data: unknown): readonly Category[] {
  const result = CategoryTableSchema.safeParse(data);
  if (!result.success) throw new Error(`config/categories.json is invalid:\n${z.prettifyError(result.error)}`);
  return Object.freeze(result.data.categories.map((category) => Object.freeze(category)));
}

export const CATEGORIES: readonly Category[] = parseCategoryTable(categoriesJson);

const CATEGORY_BY_ID = new Map<string, Category>(CATEGORIES.map((category) => [category.id, category]));

export function isCategoryId(value: unknown): value is CategoryId {
  return typeof value === 'string' && CATEGORY_BY_ID.has(value);
}

export function categoryById(id: string): Category {
  const category = CATEGORY_BY_ID.get(id);
  if (!category) throw new UnknownCategoryError(id);
  return category;
}
