/**
 * The assessment report's CSV as people read it: each column's name and each scope in Chinese and
 * English (the header row and the scope column follow Accept-Language; the columns, their order
 * and the JSON keys do not change). Terms as in docs/assessment.md.
 */
import type { CsvColumn } from '../assessment-csv';

type Words = readonly [zh: string, en: string];

export const REPORT_CSV_HEADERS: Readonly<Record<CsvColumn, Words>> = {
  scope: ['范围', 'Scope'],
  id: ['编号', 'ID'],
  name: ['名称', 'Name'],
  rank: ['排名', 'Rank'],
  rankInKind: ['同类排名', 'Rank in kind'],
  score: ['综合得分', 'Score'],
  responsePoints: ['响应得分', 'Response points'],
  resolutionPoints: ['办结得分', 'Resolution points'],
  satisfactionPoints: ['满意得分', 'Satisfaction points'],
  deduction: ['扣分', 'Deduction'],
  received: ['受理', 'Received'],
  routed: ['流转', 'Routed'],
  signedOffOnTime: ['按时签收', 'Signed off on time'],
  signOffPending: ['待签收', 'Sign-off pending'],
  lateSignOffs: ['超时签收', 'Late sign-offs'],
  resolved: ['办结', 'Resolved'],
  resolvedInCommunity: ['社区办结', 'Resolved in the community'],
  resolvedOnTime: ['按时办结', 'Resolved on time'],
  handlingBreaches: ['办理超时', 'Handling breaches'],
  warnings: ['预警', 'Warnings'],
  urges: ['督办', 'Urges'],
  extensionsRequested: ['申请延期', 'Extensions requested'],
  extensionsApproved: ['批准延期', 'Extensions approved'],
  returns: ['退回', 'Returns'],
  escalations: ['上报', 'Escalations'],
  reachedDistrictOffice: ['到区综治办', 'Reached the district office'],
  reachedCityOffice: ['到市综治办', 'Reached the city office'],
  reachedJointConference: ['到联席会议', 'Reached the joint conference'],
  satisfied: ['满意', 'Satisfied'],
  unsatisfied: ['不满意', 'Unsatisfied'],
  notImplemented: ['未落实', 'Not implemented'],
  notEvaluated: ['未评价', 'Not evaluated'],
  awaitingEvaluation: ['待评价', 'Awaiting evaluation'],
  unsatisfiedRatings: ['不满意评价次数', 'Unsatisfied ratings'],
  reopened: ['重办', 'Reopened'],
  openAtEnd: ['期末未结', 'Open at the end'],
  redAtEnd: ['期末红灯', 'Red at the end'],
  coHandlingParts: ['协办件次', 'Co-handling parts'],
  coHandlingRepliedOnTime: ['协办按时答复', 'Co-handling replied on time'],
  signOffOnTimeRate: ['按时签收率 %', 'Sign-off on time %'],
  resolutionRate: ['办结率 %', 'Resolution rate %'],
  resolvedInCommunityRate: ['社区办结率 %', 'Resolved in the community %'],
  onTimeResolutionRate: ['按时办结率 %', 'On-time resolution %'],
  satisfactionRate: ['满意率 %', 'Satisfaction rate %'],
  windowWorkingDays: ['办理时限（工作日）', 'Window (working days)'],
  medianWorkingDays: ['办理用时中位数（工作日）', 'Median (working days)'],
  p90WorkingDays: ['办理用时 90 分位（工作日）', '90th percentile (working days)'],
  resolvedWithinWindow: ['时限内办结', 'Resolved within the window'],
};

export const REPORT_CSV_SCOPES: Readonly<Record<'city' | 'district' | 'tier' | 'category' | 'unit', Words>> = {
  city: ['全市', 'city'],
  district: ['区', 'district'],
  tier: ['层级', 'tier'],
  category: ['类别', 'category'],
  unit: ['单位', 'unit'],
};
