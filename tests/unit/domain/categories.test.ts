import { z } from 'zod';
import categoriesJson from '../../../config/categories.json';
import {
  CATEGORIES,
  CATEGORY_IDS,
  CategoryIdSchema,
  categoryById,
  isCategoryId,
  parseCategoryTable,
  UnknownCategoryError,
} from '../../../functions/domain/categories';

describe('the category table', () => {
  it('lists exactly the agreed ids, in order', () => {
    expect(CATEGORIES.map((c) => c.id)).toEqual([...CATEGORY_IDS]);
    expect(CATEGORY_IDS).toHaveLength(13);
  });

  it('keeps the seed’s three process classes exactly', () => {
    expect(categoryById('administrative-approval').handlingWorkingDays).toBe(7);
    expect(categoryById('laws-and-regulations').handlingWorkingDays).toBe(17.4);
    expect(categoryById('routine').handlingWorkingDays).toBe(9);
  });

  it('keeps road-traffic-accident mediation inside one month', () => {
    // A 30-day month holds about 30 × 5/7 ≈ 21.4 working days.
    const days = categoryById('road-traffic-accident').handlingWorkingDays;
    expect(days).toBeLessThanOrEqual((30 * 5) / 7);
    expect(days).toBeGreaterThan(categoryById('laws-and-regulations').handlingWorkingDays);
  });

  it('gives the seed’s same-day pollution case and on-the-spot mediation shorter windows than routine', () => {
    const routine = categoryById('routine').handlingWorkingDays;
    expect(categoryById('environment-pollution').handlingWorkingDays).toBeLessThan(routine);
    expect(categoryById('neighbour-family').handlingWorkingDays).toBeLessThan(routine);
    expect(categoryById('medical-dispute').handlingWorkingDays).toBe(17.4);
  });

  it('has short sign-off windows, never longer than the handling window, and a rationale for each', () => {
    for (const category of CATEGORIES) {
      expect([0.5, 1]).toContain(category.signOffWorkingDays);
      expect(category.signOffWorkingDays).toBeLessThanOrEqual(category.handlingWorkingDays);
      expect(category.rationale.length).toBeGreaterThan(20);
      expect(category.name).toMatch(/类$/);
    }
  });

  it('is frozen', () => {
    expect(Object.isFrozen(CATEGORIES)).toBe(true);
    expect(Object.isFrozen(CATEGORIES[0])).toBe(true);
  });
});

describe('lookups', () => {
  it('throws on an unknown id', () => {
    expect(() => categoryById('weather')).toThrow(UnknownCategoryError);
  });

  it('narrows strings to category ids', () => {
    expect(isCategoryId('routine')).toBe(true);
    expect(isCategoryId('Routine')).toBe(false);
    expect(isCategoryId(7)).toBe(false);
  });

  it('offers the ids as a z.enum', () => {
    expect(CategoryIdSchema.parse('medical-dispute')).toBe('medical-dispute');
    expect(CategoryIdSchema.safeParse('medical').success).toBe(false);
    expect(z.enum(CATEGORY_IDS).options).toEqual([...CATEGORY_IDS]);
  });
});

describe('parseCategoryTable', () => {
  const table = categoriesJson as { categories: Record<string, unknown>[] };

  it('rejects a table with a missing category', () => {
    expect(() => parseCategoryTable({ categories: table.categories.slice(1) })).toThrow(/exactly/);
  });

  it('rejects an unknown extra field, a zero window and a sign-off longer than handling', () => {
    const withExtra = table.categories.map((c, i) => (i === 0 ? { ...c, colour: 'blue' } : c));
    expect(() => parseCategoryTable({ categories: withExtra })).toThrow();
    const zeroWindow = table.categories.map((c, i) => (i === 0 ? { ...c, handlingWorkingDays: 0 } : c));
    expect(() => parseCategoryTable({ categories: zeroWindow })).toThrow();
    const slowSignOff = table.categories.map((c, i) => (i === 0 ? { ...c, signOffWorkingDays: 5, handlingWorkingDays: 3 } : c));
    expect(() => parseCategoryTable({ categories: slowSignOff })).toThrow(/sign-off/);
  });
});
