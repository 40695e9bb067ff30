import { List, serialize, splitResource, xmlText } from '../../../functions/open311/document';
import { intakeBodyOf, matches, requestFilterOf, LISTING_LIMITS } from '../../../functions/open311/requests';
import { monthsOf } from '../../../functions/store/open311-request-store';
import { Open311Error } from '../../../functions/open311/http';
import { intakeRoleOf } from '../../../functions/open311/keys';
import { serviceDefinition, servicesList } from '../../../functions/open311/services';
import { CATEGORIES } from '../../../functions/domain/categories';
import type { CaseRecord } from '../../../functions/domain/case';

/* The pure parts of the Open311 edge: one tree written as JSON and XML, filters, and a POST read as intake's body. */
const texts = { lang: 'en' as const };
const refusal = (run: () => unknown): { status: number; code: string } => {
  try {
    run();
  } catch (error) {
    if (error instanceof Open311Error) return { status: error.status, code: error.text.code };
    throw error;
  }
  throw new Error('not refused');
};

describe('document', () => {
  it('writes the same tree as a bare JSON array and as XML with named items, leaving out what is absent', () => {
    const doc = { root: 'service_requests', value: new List('request', [{ service_request_id: 'A', status: 'open', lat: undefined, n: 1, ok: true }]) };
    expect(JSON.parse(serialize(doc, 'json'))).toEqual([{ service_request_id: 'A', status: 'open', n: 1, ok: true }]);
    expect(serialize(doc, 'xml')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<service_requests><request><service_request_id>A</service_request_id><status>open</status><n>1</n><ok>true</ok></request></service_requests>',
    );
    expect(serialize({ root: 'services', value: new List('service', []) }, 'xml')).toMatch(/<services><\/services>$/);
  });

  it('escapes markup and drops characters XML 1.0 cannot hold', () => {
    expect(xmlText(`<a href="x">&'</a>\u0000\u0007\uFFFE ok 楼道 😀`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt; ok 楼道 😀');
  });

  it('reads a resource segment as its name and format', () => {
    expect(splitResource('routine.json')).toEqual({ name: 'routine', format: 'json' });
    expect(splitResource('01K.XML')).toEqual({ name: '01K', format: 'xml' });
    for (const bad of ['routine', '.json', 'routine.html', 'routine.']) expect(splitResource(bad)).toBeUndefined();
  });
});

describe('services', () => {
  it('are the categories, each with a definition whose community list names every community', () => {
    expect(servicesList('zh-CN').items.map((s) => (s as { service_code: string }).service_code)).toEqual(CATEGORIES.map((c) => c.id));
    const definition = serviceDefinition('routine', 'en') as { attributes: List };
    const community = definition.attributes.items.find((a) => (a as { code: string }).code === 'community') as { values: List };
    expect(community.values.items.length).toBeGreaterThan(0);
    expect(serviceDefinition('potholes', 'en')).toBeUndefined();
  });
});

describe('keys', () => {
  it('go to units that accept cases only', () => {
    expect(intakeRoleOf('community-xiling-shengli-silu')).toBe('community');
    expect(intakeRoleOf('supervision-centre')).toBe('supervisor');
    expect(intakeRoleOf('street-xiling-xiling')).toBeUndefined();
    expect(intakeRoleOf('nowhere')).toBeUndefined();
  });
});

describe('a posted request as intake’s body', () => {
  const base = { service_code: 'routine', description: '楼道堆放杂物\n第二行', address_string: '胜利四路' };

  it('maps the spec’s fields: a Chinese name family name first, an English one given name first; media_url into the description', () => {
    const body = intakeBodyOf({ ...base, first_name: '秀兰', last_name: '王', phone: '13912345678', media_url: 'https://example.org/a.jpg' }, 'community', texts);
    expect(body).toEqual(
      expect.objectContaining({ title: '楼道堆放杂物', category: 'routine', reportedVia: 'web', complainant: { name: '王秀兰', phone: '13912345678' }, location: { address: '胜利四路' } }),
    );
    expect(body.description).toContain('media_url: https://example.org/a.jpg');
    expect(intakeBodyOf({ ...base, first_name: 'Ann', last_name: 'Lee' }, 'community', texts).complainant).toEqual({ name: 'Ann Lee' });
    expect(intakeBodyOf({ ...base, lat: '30.5', long: '-111', address_string: undefined }, 'community', texts).location).toEqual({ latitude: 30.5, longitude: -111 });
    expect(intakeBodyOf({ ...base, 'attribute[community]': 'community-xiling-shengli-silu' }, 'supervisor', texts).originUnit).toBe('community-xiling-shengli-silu');
  });

  it.each([
    [{ ...base, service_code: undefined }, 'open311-service-code-missing'],
    [{ ...base, service_code: 'potholes' }, 'open311-service-code-unknown'],
    [{ service_code: 'routine', description: 'x' }, 'open311-location-missing'],
    [{ service_code: 'routine', description: 'x', address_id: '7' }, 'open311-address-id-unsupported'],
    [{ ...base, lat: '90.01', long: '1' }, 'open311-lat-range'],
    [{ ...base, lat: '1', long: '180.5' }, 'open311-long-range'],
    [{ ...base, lat: 'NaN', long: '1' }, 'open311-lat-range'],
    [{ ...base, lat: '1' }, 'open311-lat-long-pair'],
    [{ ...base, description: '  ' }, 'open311-description-missing'],
    [{ ...base, phone: '13912345678' }, 'open311-name-needed'],
    [{ ...base, email: 'a@b' }, 'open311-email'],
    [{ ...base, media_url: 'ftp://x' }, 'open311-media-url'],
    [{ ...base, 'attribute[occurred_at]': 'yesterday' }, 'open311-date'],
    [{ ...base, first_name: '王', phone: '123' }, 'open311-field'],
  ])('%j → 400 %s', (fields, code) => {
    expect(refusal(() => intakeBodyOf(fields as Record<string, string>, 'community', texts))).toEqual({ status: 400, code: `error.${code}` });
  });

  it('asks the hotline for the community', () => {
    expect(refusal(() => intakeBodyOf(base, 'supervisor', texts))).toEqual({ status: 400, code: 'error.open311-community-needed' });
  });
});

describe('filters', () => {
  const now = Date.parse('2026-03-20T12:00:00+08:00');
  const day = 86_400_000;

  it('default to the last 90 days; service_request_id overrides the rest', () => {
    expect(requestFilterOf({}, now)).toEqual({ startMs: now - LISTING_LIMITS.days * day, endMs: now });
    expect(requestFilterOf({ service_request_id: 'A,B', status: 'bogus' }, now).ids).toEqual(['A', 'B']);
    expect(requestFilterOf({ service_code: 'routine,labour-wages', status: 'open' }, now)).toEqual(expect.objectContaining({ serviceCodes: ['routine', 'labour-wages'], statuses: ['open'] }));
  });

  it.each([
    [{ start_date: '2026-03-01' }, 'open311-date'],
    [{ start_date: '2026-01-01T00:00:00Z', end_date: '2026-04-02T00:00:00Z' }, 'open311-date-range'],
    [{ start_date: '2026-03-02T00:00:00Z', end_date: '2026-03-01T00:00:00Z' }, 'open311-date-range'],
    [{ status: 'pending' }, 'open311-status'],
    [{ service_code: 'potholes' }, 'open311-service-code-unknown'],
    [{ service_request_id: Array.from({ length: 51 }, (_, i) => `id${i}`).join(',') }, 'open311-ids'],
  ])('%j → 400 %s', (query, code) => {
    expect(refusal(() => requestFilterOf(query, now))).toEqual({ status: 400, code: `error.${code}` });
  });

  it('keep a case requested within the range, of the service and status asked', () => {
    const record = { createdAt: '2026-03-10T09:00:00+08:00', category: 'routine', status: 'closed' } as CaseRecord;
    const filter = requestFilterOf({ start_date: '2026-03-10T09:00:00+08:00', end_date: '2026-03-11T00:00:00+08:00' }, now);
    expect(matches(record, filter)).toBe(true);
    expect(matches(record, { ...filter, statuses: ['open'] })).toBe(false);
    expect(matches(record, { ...filter, serviceCodes: ['labour-wages'] })).toBe(false);
    expect(matches(record, { ...filter, startMs: Date.parse('2026-03-10T09:00:01+08:00') })).toBe(false);
  });

  it('read the Shanghai months a range touches, newest first, across a year', () => {
    expect(monthsOf(Date.parse('2025-11-30T20:00:00Z'), Date.parse('2026-01-31T17:00:00Z'))).toEqual(['2026-02', '2026-01', '2025-12']);
    expect(monthsOf(Date.parse('2026-03-05T00:00:00+08:00'), Date.parse('2026-03-06T00:00:00+08:00'))).toEqual(['2026-03']);
  });
});
