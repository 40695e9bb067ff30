import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { negotiateLanguage } from '../../../functions/domain/texts/language';
import { formatShanghaiInstant } from '../../../functions/domain/texts/format';
import { eventParams, renderMessage, renderRefusal, schemaMessage } from '../../../functions/domain/texts/render';
import { EVENT_TEXTS } from '../../../functions/domain/texts/catalogue';
import { ERROR_TEXTS, FIELD_TEXTS, SCHEMA_MESSAGES_ZH } from '../../../functions/domain/texts/refusals';
import { ALERT_TYPES } from '../../../functions/domain/workflow';
import { defaultDirectory } from '../../../functions/domain/directory';
import { MEDIATION_ERROR_TEXTS, MEDIATION_EVENT_TEXTS, MEDIATION_FIELD_TEXTS } from '../../../functions/domain/mediation/texts';
// A feature's texts are registered by the modules that render them (not spread into the global
// catalogues every function loads); registered here, the checks below cover them too.
import '../../../functions/domain/mediation/event-texts';
import '../../../functions/domain/mediation/refusal-texts';

/** The text of every TypeScript file below a folder of the repository. */
function sources(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) found.push(readFileSync(path, 'utf8'));
    }
  };
  walk(join(__dirname, '../../..', folder));
  return found;
}

const zh = { lang: 'zh-CN' as const, unitName: defaultDirectory.nameOf };
const en = { lang: 'en' as const, unitName: defaultDirectory.nameOf };

describe('Accept-Language', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['en', 'en'],
    ['en-GB,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['fr-FR, en;q=0.5', 'en'],
    ['en;q=0.4, zh;q=0.6', 'zh-CN'],
    ['en;q=0, fr', 'zh-CN'],
    ['de, fr', 'zh-CN'],
    ['en;q=abc', 'zh-CN'],
    [';;;,,,', 'zh-CN'],
  ])('%j reads as %s', (header, lang) => {
    expect(negotiateLanguage(header)).toBe(lang);
  });
});

describe('times for people', () => {
  it('are Asia/Shanghai, month and day first in Chinese, with the year only when it is not this year', () => {
    expect(formatShanghaiInstant('2026-03-10T01:00:00Z', 'zh-CN')).toBe('3月10日 09:00');
    expect(formatShanghaiInstant('2026-03-10T01:00:00Z', 'en')).toBe('10 Mar 09:00');
    expect(formatShanghaiInstant('2026-12-31T16:30:00Z', 'zh-CN', Date.parse('2026-12-01T00:00:00Z'))).toBe('2027年1月1日 00:30');
    expect(formatShanghaiInstant('2026-12-31T16:30:00Z', 'en', Date.parse('2026-12-01T00:00:00Z'))).toBe('1 Jan 2027 00:30');
  });
});

describe('the catalogue', () => {
  it('writes the sign-off breach as an officer reads it: unit name, Shanghai time, in either language', () => {
    const params = { unit: 'street-xiling-xiling', dueAt: '2026-03-10T09:00:00.000+08:00', tier: 0 };
    expect(renderMessage({ code: 'SIGN_OFF_OVERDUE', params }, zh)).toBe('签收超时（红灯）：西陵街道办事处未在3月10日 09:00前签收');
    expect(renderMessage({ code: 'SIGN_OFF_OVERDUE', params }, en)).toBe('Sign-off overdue (red): Xiling Street Office did not sign off by 10 Mar 09:00');
  });

  it('has a text in both languages for every alert type, and they differ', () => {
    for (const type of ALERT_TYPES) {
      expect(EVENT_TEXTS).toHaveProperty(type);
      const params = { unit: 'street-xiling-xiling', dueAt: '2026-03-10T09:00:00+08:00', tier: 1, percent: 75, from: 'street-xiling-xiling', rating: 'unsatisfied' };
      const chinese = renderMessage({ code: type, params }, zh);
      const english = renderMessage({ code: type, params }, en);
      expect(chinese).toMatch(/[\u4e00-\u9fff]/);
      expect(english).not.toMatch(/[\u4e00-\u9fff]/);
      expect(english).not.toContain('street-xiling-xiling');
    }
  });

  it('has a text for every timeline event type the functions write', () => {
    const written = new Set<string>();
    for (const source of sources('functions')) {
      for (const match of source.matchAll(/(?:\.event\(|type: )'([A-Z][A-Z_]+)'/g)) written.add(match[1]);
    }
    expect(written.size).toBeGreaterThan(15);
    const missing = [...written].filter((type) => !(type in EVENT_TEXTS) && type !== 'REPORT_PUBLISHED');
    expect(missing).toEqual([]);
  });

  it('writes every refusal and field message in both languages, never the same text twice', () => {
    for (const [group, entries] of [['error', ERROR_TEXTS], ['field', FIELD_TEXTS]] as const) {
      for (const code of Object.keys(entries)) {
        const params = { caseId: '01J', callerUnit: 'street-xiling-xiling', action: 'resolve', role: 'agency', status: 'closed', assignedUnit: 'district-office-xiling' };
        const chinese = renderMessage({ code: `${group}.${code}`, params }, zh);
        const english = renderMessage({ code: `${group}.${code}`, params }, en);
        expect(chinese).toMatch(/[\u4e00-\u9fff]/);
        expect(english).not.toBe(chinese);
      }
    }
  });

  it('translates every custom message a schema writes, found in the sources', () => {
    const custom = new Set<string>();
    for (const source of ['functions/api', 'functions/domain', 'functions/report'].flatMap(sources)) {
      for (const match of source.matchAll(/z\.(?:regex|multipleOf|refine)\([^'\n]*?,\s*'([^']+)'\)/g)) custom.add(match[1]);
      for (const match of source.matchAll(/addIssue\(\{[^}]*message: '([^']+)'/g)) custom.add(match[1]);
    }
    expect(custom.size).toBeGreaterThan(5);
    expect([...custom].filter((message) => !(message in SCHEMA_MESSAGES_ZH))).toEqual([]);
    expect(schemaMessage('a month as yyyy-mm', 'zh-CN')).toBe('月份格式为 yyyy-mm');
    expect(schemaMessage('a month as yyyy-mm', 'en')).toBe('a month as yyyy-mm');
  });

  it('reads old events from their fields: unit, actor, data and note become params', () => {
    const event = { type: 'ESCALATED_TO_TIER', unit: 'district-office-xiling', note: '需要协调', data: { from: 'street-xiling-xiling', to: 'district-office-xiling', tier: 1, nested: { x: 1 } } };
    const params = eventParams(event);
    expect(params).toEqual({ from: 'street-xiling-xiling', to: 'district-office-xiling', tier: 1, unit: 'district-office-xiling', note: '需要协调' });
    expect(renderMessage({ code: event.type, params }, zh)).toBe('由西陵街道办事处提级至西陵区综治维稳信访办公室（区综治维稳信访）：需要协调');
  });

  it('falls back to the note, then to the code, for a code it does not know', () => {
    expect(renderMessage({ code: 'SOMETHING_NEW', params: { note: 'as written' } }, zh)).toBe('as written');
    expect(renderMessage({ code: 'SOMETHING_NEW' }, en)).toBe('SOMETHING_NEW');
  });
});

describe('feature catalogues', () => {
  it('keeps mediation out of the global catalogues until a module that renders it registers its texts', () => {
    jest.isolateModules(() => {
      const events = jest.requireActual<typeof import('../../../functions/domain/texts/catalogue')>('../../../functions/domain/texts/catalogue').EVENT_TEXTS;
      const refusals = jest.requireActual<typeof import('../../../functions/domain/texts/refusals')>('../../../functions/domain/texts/refusals');
      expect(Object.keys(MEDIATION_EVENT_TEXTS).filter((code) => code in events)).toEqual([]);
      expect(Object.keys(MEDIATION_ERROR_TEXTS).filter((code) => code in refusals.ERROR_TEXTS)).toEqual([]);
      expect(Object.keys(MEDIATION_FIELD_TEXTS).filter((code) => code in refusals.FIELD_TEXTS)).toEqual([]);
      jest.requireActual('../../../functions/domain/mediation/event-texts');
      jest.requireActual('../../../functions/domain/mediation/refusal-texts');
      expect(Object.keys(MEDIATION_EVENT_TEXTS).filter((code) => !(code in events))).toEqual([]);
      expect(Object.keys(MEDIATION_ERROR_TEXTS).filter((code) => !(code in refusals.ERROR_TEXTS))).toEqual([]);
      expect(Object.keys(MEDIATION_FIELD_TEXTS).filter((code) => !(code in refusals.FIELD_TEXTS))).toEqual([]);
    });
  });

  it('writes every mediation event and alert in both languages', () => {
    const params = { body: 'street-xiling-xiling', actorUnit: 'street-xiling-xiling', unit: 'street-xiling-xiling', dueAt: '2026-03-10T09:00:00+08:00', phase: 'accept', reason: 'declined', advice: 'litigation' };
    for (const code of Object.keys(MEDIATION_EVENT_TEXTS)) {
      const chinese = renderMessage({ code, params }, zh);
      const english = renderMessage({ code, params }, en);
      expect(chinese).toMatch(/[\u4e00-\u9fff]/);
      expect(english).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('renders refusals for problem details as renderMessage does, without the event catalogue', () => {
    for (const [group, entries] of [['error', ERROR_TEXTS], ['field', FIELD_TEXTS]] as const) {
      for (const code of Object.keys(entries)) {
        const message = { code: `${group}.${code}`, params: { caseId: '01J', unitId: 'street-xiling-xiling' } };
        expect(renderRefusal(message, zh)).toBe(renderMessage(message, zh));
        expect(renderRefusal(message, en)).toBe(renderMessage(message, en));
      }
    }
    expect(renderRefusal({ code: 'SIGN_OFF_OVERDUE', params: { note: 'as written' } }, en)).toBe('as written');
  });
});
