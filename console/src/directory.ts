import { useEffect, useState } from 'preact/hooks';
import { districts as districtList } from '../../config/units.json';
import { getJson } from './api';
import type { Lang } from './i18n';
// Types only: the shapes the API serves, without bundling the domain's validation code.
import type { Unit } from '../../functions/domain/directory';
import type { Category } from '../../functions/domain/categories';

/** The public directory (GET /v1/units, /v1/categories), read once, with names in both languages. */
export type UnitEntry = Unit;

export type CategoryEntry = Pick<Category, 'id' | 'name' | 'nameEn' | 'signOffWorkingDays' | 'handlingWorkingDays'>;

export interface Directory {
  readonly units: readonly UnitEntry[];
  readonly categories: readonly CategoryEntry[];
  readonly districts: readonly { id: string; name: string; nameEn: string }[];
  unit(id: string): UnitEntry | undefined;
  unitName(id: string | undefined | null, lang: Lang): string;
  categoryName(id: string, lang: Lang): string;
  districtName(id: string | null | undefined, lang: Lang): string;
}

let loading: Promise<Directory> | undefined;

function buildDirectory(units: UnitEntry[], categories: CategoryEntry[]): Directory {
  const unitsById = new Map(units.map((unit) => [unit.id, unit]));
  const categoriesById = new Map<string, CategoryEntry>(categories.map((category) => [category.id, category]));
  const districtsById = new Map(districtList.map((district) => [district.id, district]));
  const pick = (entry: { name: string; nameEn: string } | undefined, lang: Lang, fallback: string) =>
    entry ? (lang === 'en' ? entry.nameEn : entry.name) : fallback;
  return {
    units,
    categories,
    districts: districtList,
    unit: (id) => unitsById.get(id),
    unitName: (id, lang) => (id ? pick(unitsById.get(id), lang, id) : '—'),
    categoryName: (id, lang) => pick(categoriesById.get(id), lang, id),
    districtName: (id, lang) => (id ? pick(districtsById.get(id), lang, id) : '—'),
  };
}

export function loadDirectory(): Promise<Directory> {
  loading ??= Promise.all([
    getJson<{ items: UnitEntry[] }>('/v1/units'),
    getJson<{ items: CategoryEntry[] }>('/v1/categories'),
  ]).then(
    ([units, categories]) => buildDirectory(units.items, categories.items),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

export function useDirectory(): Directory | undefined {
  const [directory, setDirectory] = useState<Directory>();
  useEffect(() => {
    let live = true;
    loadDirectory().then((loaded) => live && setDirectory(loaded), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  return directory;
}
