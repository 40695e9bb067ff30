/**
 * The assessment report as one CSV table: a row per scope (city, district, tier, category,
 * unit in ranking order), the same columns for every row; cells that do not apply are empty.
 * UTF-8 with a byte-order mark, so spreadsheet programs show the Chinese names correctly.
 */
import { COUNT_FIELDS, type AssessmentReport, type HandlingTime, type Rates, type Scores, type UnitScores } from './assessment';
import { spreadsheetCell, type Cell } from './spreadsheet-cell';
import { REPORT_CSV_HEADERS, REPORT_CSV_SCOPES } from './texts/report-csv-texts';
import type { Lang } from './texts/language';
import { wordOf } from './texts/format';

const RATE_COLUMNS: ReadonlyArray<[keyof Rates, string]> = [
  ['signOffOnTime', 'signOffOnTimeRate'],
  ['resolution', 'resolutionRate'],
  ['resolvedInCommunity', 'resolvedInCommunityRate'],
  ['onTimeResolution', 'onTimeResolutionRate'],
  ['satisfaction', 'satisfactionRate'],
];

export const CSV_COLUMNS = [
  'scope',
  'id',
  'name',
  'rank',
  'rankInKind',
  'score',
  'responsePoints',
  'resolutionPoints',
  'satisfactionPoints',
  'deduction',
  ...COUNT_FIELDS,
  ...RATE_COLUMNS.map(([, column]) => column),
  'windowWorkingDays',
  'medianWorkingDays',
  'p90WorkingDays',
  'resolvedWithinWindow',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** The header row in the reader's language: the columns' names, in CSV_COLUMNS's order. */
export const csvHeaders = (lang: Lang): string[] => CSV_COLUMNS.map((column) => wordOf(REPORT_CSV_HEADERS, column, lang));

/** A cell as a spreadsheet may open it safely: quoted where needed, a text starting with = + - @ neutralised. */
export const csvCell = (value: Cell): string => spreadsheetCell(value);

function row(scope: Cell, id: string | number, name: string, scores: Scores, extra: { unit?: UnitScores; handling?: HandlingTime } = {}): Cell[] {
  const { unit, handling } = extra;
  return [
    scope,
    id,
    name,
    unit?.rank,
    unit?.rankInKind,
    unit?.composite?.score,
    unit?.composite?.response,
    unit?.composite?.resolution,
    unit?.composite?.satisfaction,
    unit?.composite?.deduction,
    ...COUNT_FIELDS.map((field) => scores[field]),
    ...RATE_COLUMNS.map(([rate]) => scores.rates[rate]),
    handling?.windowWorkingDays,
    handling?.medianWorkingDays,
    handling?.p90WorkingDays,
    handling?.withinWindow,
  ];
}

/** The report as CSV, its header row and scope column in `lang` (Chinese unless asked otherwise). */
export function reportCsv(report: AssessmentReport, options: { bom?: boolean; lang?: Lang } = {}): string {
  const lang = options.lang ?? 'zh-CN';
  const scope = (kind: keyof typeof REPORT_CSV_SCOPES) => wordOf(REPORT_CSV_SCOPES, kind, lang);
  const rows: Cell[][] = [csvHeaders(lang)];
  const period = report.period.from === report.period.to ? report.period.from : `${report.period.from}..${report.period.to}`;
  rows.push(row(scope('city'), period, lang === 'en' ? (report.provisional ? 'City (provisional)' : 'City') : report.provisional ? '全市（暂定）' : '全市', report.city, { handling: report.city.handlingTime }));
  for (const district of report.districts) rows.push(row(scope('district'), district.district, district.name, district));
  for (const tier of report.tiers) rows.push(row(scope('tier'), tier.tier, tier.name, tier));
  for (const category of report.categories) rows.push(row(scope('category'), category.category, category.name, category, { handling: category.handlingTime }));
  for (const unit of report.units) rows.push(row(scope('unit'), unit.unit, unit.name, unit, { unit }));
  const text = rows.map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
  return (options.bom ?? true) ? `\uFEFF${text}` : text;
}
