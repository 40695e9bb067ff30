/**
 * One file per case (一案一档): the mediation documents generated from the case's data, each a
 * printable HTML page in Chinese with a print stylesheet (A4, no screen chrome). The seed's file
 * holds the application, the registration form, the notice of rights and duties, the mediation
 * record(s), the agreement, and the delivery receipt or the follow-up record. Nothing is stored:
 * a document is written from the case each time it is asked for, so it always says what the case
 * says. Every text from people is escaped.
 */
import type { CaseRecord } from '../case';
import { categoryById } from '../categories';
import type { UnitDirectory } from '../directory';
import { formatShanghaiInstant } from '../texts/format';
import type { Mediation, Participant } from './model';
import { ADVICE_WORDS } from './texts';
import { totalYuan } from './rules';

import { DOCUMENT_TITLES, documentsOf, mediationForFile } from './file';

export { DOCUMENT_KINDS, DOCUMENT_TITLES, documentsOf, mediationsForView, WITHHELD_NAME, type DocumentEntry, type DocumentKind } from './file';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const when = (instant: string | undefined) => (instant ? formatShanghaiInstant(instant, 'zh-CN', 0) : '');
const yuan = (n: number) => n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const ROLE_ZH: Record<Participant['role'], string> = {
  applicant: '申请人',
  respondent: '被申请人',
  mediator: '调解员',
  agent: '代理人',
  insurer: '保险公司',
  police: '交警',
  witness: '证人',
  other: '其他',
};

const STYLE = `
  body { font-family: "Noto Serif CJK SC", "Songti SC", SimSun, serif; color: #000; margin: 2rem auto; max-width: 46rem; line-height: 1.8; }
  h1 { text-align: center; font-size: 1.6rem; letter-spacing: 0.2em; margin-bottom: 0.2rem; }
  .no { text-align: right; font-size: 0.9rem; }
  table { width: 100%; border-collapse: collapse; margin: 1rem 0; }
  th, td { border: 1px solid #000; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
  th { width: 8rem; font-weight: normal; background: #f4f4f4; }
  .sign { display: flex; justify-content: space-between; margin-top: 3rem; }
  .sign span { min-width: 12rem; border-bottom: 1px solid #000; display: inline-block; }
  .body { white-space: pre-wrap; }
  @media print {
    @page { size: A4; margin: 2cm; }
    body { margin: 0; max-width: none; }
    th { background: none; }
    .screen-only { display: none; }
  }`;

function page(title: string, caseId: string, inner: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><p class="screen-only"><button onclick="window.print()">打印</button></p>
<h1>${escapeHtml(title)}</h1><p class="no">案件编号：${escapeHtml(caseId)}</p>
${inner}
</body></html>`;
}

const row = (label: string, value: string) => `<tr><th>${escapeHtml(label)}</th><td class="body">${escapeHtml(value)}</td></tr>`;
const table = (rows: string[]) => `<table>${rows.join('')}</table>`;

function parties(record: CaseRecord, m: Mediation, role: Participant['role']): string {
  const named = [...new Set(m.sessions.flatMap((s) => s.participants.filter((p) => p.role === role).map((p) => p.name)))];
  if (role === 'applicant' && record.complainant && !named.includes(record.complainant.name)) named.unshift(record.complainant.name);
  return named.join('、');
}

/** A document of the case's file as printable HTML, or undefined if the case has no such document yet. */
export function renderDocument(record: CaseRecord, kind: string, directory: Pick<UnitDirectory, 'nameOf'>): string | undefined {
  const entry = documentsOf(record).find((d) => d.kind === kind);
  const m = mediationForFile(record);
  if (!entry || !m) return undefined;
  const unit = (id: string) => directory.nameOf(id, 'zh-CN') ?? id;
  const body = unit(m.body);
  const applicant = parties(record, m, 'applicant') || '（受理时未登记）';
  const respondent = parties(record, m, 'respondent') || '（见调解笔录）';
  const contact = [record.complainant?.phone, record.complainant?.address].filter(Boolean).join('，');
  const title = entry.title;
  const sign = (left: string, right: string) => `<div class="sign"><div>${escapeHtml(left)}：<span></span></div><div>${escapeHtml(right)}：<span></span></div></div>`;
  if (kind === 'application') {
    return page(title, record.id, table([
      row('申请人', applicant),
      row('联系方式', contact || '—'),
      row('纠纷类别', categoryById(record.category).name),
      row('纠纷事项', record.title),
      row('事实与请求', record.description),
      row('移交单位', unit(m.referredBy)),
      row('移交意见', m.note),
      row('申请调解组织', body),
      row('申请时间', when(m.referredAt)),
    ]) + sign('申请人签名', '日期'));
  }
  if (kind === 'registration') {
    return page(title, record.id, table([
      row('调解组织', body),
      row('受理时间', when(m.acceptedAt)),
      row('当事人', `申请人：${applicant}；被申请人：${respondent}`),
      row('纠纷简要情况', record.description),
      row('来源', `${unit(m.referredBy)}移交（${when(m.referredAt)}）`),
      row('调解期限', `${when(m.dueAt)}前调结（一般在一个月内）`),
    ]) + sign('登记人', '日期'));
  }
  if (kind === 'rights-notice') {
    const text = [
      `${body}依法受理你们之间的纠纷。人民调解遵循平等自愿、不违背法律法规和国家政策、尊重当事人权利的原则。`,
      '当事人享有下列权利：选择或者接受调解员；接受调解、拒绝调解或者要求终止调解；要求调解公开进行或者不公开进行；自主表达意愿、自愿达成调解协议。',
      '当事人履行下列义务：如实陈述纠纷事实；遵守调解现场秩序，尊重调解员；尊重对方当事人行使权利。',
      '经调解达成的调解协议具有法律约束力，当事人应当按照约定履行。调解不成的，当事人可以依法通过仲裁、行政、司法等途径维护自己的权利。',
      '人民调解不收取任何费用。',
    ];
    return page(title, record.id, text.map((p) => `<p>${escapeHtml(p)}</p>`).join('') + `<p>告知时间：${escapeHtml(when(m.acceptedAt))}</p>` + sign('当事人签名', '调解员签名'));
  }
  if (kind.startsWith('session-record-')) {
    const session = m.sessions[Number(kind.slice('session-record-'.length)) - 1];
    if (!session) return undefined;
    const people = session.participants.map((p) => `${ROLE_ZH[p.role]}：${p.name}`).join('；') || '—';
    return page(title, record.id, table([
      row('调解组织', body),
      row('时间', when(session.at)),
      row('地点', session.place ?? '—'),
      row('参加人员', people),
      row('调解记录', session.record),
    ]) + sign('当事人签名', '记录人'));
  }
  if (kind === 'agreement' && m.agreement) {
    const a = m.agreement;
    const payments = a.amounts.map((p, i) => `${i + 1}. ${p.payer}于 ${p.dueBy} 前向${p.payee}支付人民币 ${yuan(p.amountYuan)} 元。`).join('\n');
    return page(title, record.id, table([
      row('调解组织', body),
      row('当事人', `申请人：${applicant}；被申请人：${respondent}`),
      row('纠纷简要情况', record.description),
      row('经调解，自愿达成如下协议', a.terms),
      row('给付事项', payments || '无'),
      row('合计金额', `人民币 ${yuan(totalYuan(a))} 元`),
      row('履行期限', `${a.performBy} 前履行完毕`),
      row('当事人签字', `已签字（${when(a.signedAt)}）`),
      row('报送', a.reportedTo.map(unit).join('、') || '—'),
    ]) + '<p>本协议经双方当事人签字、调解员签名并加盖调解组织印章后生效，具有法律约束力。本协议一式三份，当事人各执一份，调解组织留存一份。</p>' + sign('调解员签名', '调解组织（印章）'));
  }
  if (kind === 'delivery-receipt' && m.agreement) {
    return page(title, record.id, table([
      row('送达文书', `${DOCUMENT_TITLES.agreement}（案件编号 ${record.id}）`),
      row('受送达人', `${applicant}；${respondent}`),
      row('送达单位', body),
      row('送达时间', when(m.agreement.at)),
      row('送达方式', '直接送达'),
    ]) + sign('受送达人签收', '送达人'));
  }
  if (kind === 'follow-up') {
    const rows = m.fulfilment
      ? [row('回访内容', '调解协议履行情况'), row('履行情况', m.fulfilment.fulfilled ? '已按协议履行' : '未按协议履行'), row('是否按期', m.fulfilment.onTime ? '按期' : '逾期'), row('回访记录', m.fulfilment.note), row('回访时间', when(m.fulfilment.at))]
      : m.failure
        ? [row('调解结果', '调解不成，终止调解'), row('原因', m.failure.reason), row('告知当事人', `可依法${ADVICE_WORDS[m.failure.advice]?.[0] ?? m.failure.advice}`), row('终止时间', when(m.failure.at))]
        : [];
    return page(title, record.id, table([row('调解组织', body), ...rows]) + sign('回访人', '日期'));
  }
  return undefined;
}

