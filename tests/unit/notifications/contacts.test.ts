import contactsJson from '../../../config/contacts.json';
import { ContactsError, loadContacts, notBefore } from '../../../functions/domain/notifications/contacts';
import { defaultDirectory } from '../../../functions/domain/directory';

const entry = { sms: ['13910166299'], email: ['duty@street.example.gov.cn'] };

describe('config/contacts.json', () => {
  it('is valid and gives every unit of the directory a duty phone', () => {
    const book = loadContacts(contactsJson);
    for (const unit of defaultDirectory.all()) expect({ unit: unit.id, phones: (book.of(unit.id)?.sms.length ?? 0) > 0 }).toEqual({ unit: unit.id, phones: true });
  });

  it.each([
    ['an invalid phone', { sms: ['12345'], email: [] }, /unit street-xiling-xiling: sms\.0 "12345" is invalid/],
    ['an invalid email', { sms: [], email: ['duty at street'] }, /unit street-xiling-xiling: email\.0 "duty at street" is invalid/],
    ['a webhook over plain http', { ...entry, webhook: 'http://agency.example.gov.cn/hook' }, /unit street-xiling-xiling: webhook/],
    ['quiet hours that are not times', { ...entry, quietHours: { from: '22h', to: '07:30' } }, /unit street-xiling-xiling: quietHours\.from/],
    ['an unknown field', { ...entry, fax: '1234' }, /unit street-xiling-xiling/],
  ])('refuses %s, naming the unit', (_, bad, message) => {
    expect(() => loadContacts({ units: { 'street-xiling-xiling': bad } })).toThrow(ContactsError);
    expect(() => loadContacts({ units: { 'street-xiling-xiling': bad } })).toThrow(message);
  });

  it('refuses a unit the directory does not know', () => {
    expect(() => loadContacts({ units: { 'street-nowhere': entry } })).toThrow('unit street-nowhere: not in the unit directory');
  });
});

describe('quiet hours (Asia/Shanghai)', () => {
  const quiet = { ...entry, quietHours: { from: '22:00', to: '07:30' } };
  const at = (iso: string) => Date.parse(iso);
  it('lets a message go at once outside them', () => {
    expect(notBefore(quiet, at('2026-03-09T15:00:00+08:00'))).toBe(at('2026-03-09T15:00:00+08:00'));
  });
  it('holds a message sent in the evening until the next morning', () => {
    expect(notBefore(quiet, at('2026-03-09T23:10:00+08:00'))).toBe(at('2026-03-10T07:30:00+08:00'));
  });
  it('holds a message sent after midnight until the same morning', () => {
    expect(notBefore(quiet, at('2026-03-10T02:00:00+08:00'))).toBe(at('2026-03-10T07:30:00+08:00'));
  });
  it('has no effect on a unit without quiet hours', () => {
    expect(notBefore(entry, at('2026-03-10T02:00:00+08:00'))).toBe(at('2026-03-10T02:00:00+08:00'));
  });
});
