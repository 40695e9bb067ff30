/**
 * The assessment report as one CSV table: a row per scope (city, district, tier, category,
 * unit in ranking order), the same columns for every row; cells that do not apply are empty.
 * UTF-8 with a byte-order mark, so spreadsheet programs show the Chinese names correctly.
 */
import { COUNT_FIELDS, type AssessmentReport, type HandlingTime, type Rates, type Scores, type UnitScores } from './assessment';
import { spreadsheetCell, type Cell } from './spreadsheet-cell';

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

/** A cell as a spreadsheet may open it safely: quoted where needed, a text starting with = + - @ neutralised. */
export const csvCell = (value: Cell): string => spreadsheetCell(value);

function row(scope: string, id: string | number, name: string, scores: Scores, extra: { unit?: UnitScores; handling?: HandlingTime } = {}): Cell[] {
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

export function reportCsv(report: AssessmentReport, options: { bom?: boolean } = {}): string {
  const rows: Cell[][] = [[...CSV_COLUMNS]];
  const period = report.period.from === report.period.to ? report.period.from : `${report.period.from}..${report.period.to}`;
  rows.push(row('city', period, report.provisional ? '全市（暂定）' : '全市', report.city, { handling: report.city.handlingTime }));
  for (const district of report.districts) rows.push(row('district', district.district, district.name, district));
  for (const tier of report.tiers) rows.push(row('tier', tier.tier, tier.name, tier));
  for (const category of report.categories) rows.push(row('category', category.category, category.name, category, { handling: category.handlingTime }));
  for (const unit of report.units) rows.push(row('unit', unit.unit, unit.name, unit, { unit }));
  const text = rows.map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
  return (options.bom ?? true) ? `\uFEFF${text}` : text;
}
