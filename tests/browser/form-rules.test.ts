import { ExtensionBodySchema, SignOffBodySchema, SuperviseBodySchema } from '../../functions/api/action-bodies';
import { CreateCaseBodySchema } from '../../functions/domain/case';
import { compact, fieldErrors, limitsOf, textOrUndefined } from '../../console/src/form-rules';

/*
 * The console checks a form with the API's own schemas before sending it, and shows their
 * limits; only the words are its own. A translator that echoes its key and parameters shows
 * which message each refusal chose.
 */
const t = (key: string, params?: Record<string, string | number>) => (params ? `${key} ${JSON.stringify(params)}` : key);

describe('limits read from the API’s schemas', () => {
  test('text fields: required or not, and their lengths', () => {
    expect(limitsOf(SignOffBodySchema, 'handler.name')).toEqual({ required: true, minLength: 1, maxLength: 100 });
    expect(limitsOf(SignOffBodySchema, 'handler.phone')).toEqual({ required: false });
    expect(limitsOf(SignOffBodySchema, 'note')).toEqual({ required: false, minLength: 1, maxLength: 2000 });
    expect(limitsOf(CreateCaseBodySchema, 'title')).toEqual({ required: true, minLength: 1, maxLength: 200 });
    expect(limitsOf(CreateCaseBodySchema, 'description')).toMatchObject({ required: true, maxLength: 4000 });
  });

  test('numbers: range and step', () => {
    expect(limitsOf(ExtensionBodySchema, 'workingDays')).toEqual({ required: true, min: 0.5, max: 30, step: 0.5 });
    expect(limitsOf(CreateCaseBodySchema, 'location.latitude')).toEqual({ required: false, min: -90, max: 90 });
  });
});

describe('refusals in the user’s words', () => {
  test('a blank required field, a text too long, a phone that is not one', () => {
    const errors = fieldErrors(SignOffBodySchema, { handler: { name: '  ', phone: '12345' }, note: 'x'.repeat(2001) }, t);
    expect(errors).toEqual({
      'handler.name': 'invalid.required',
      'handler.phone': 'invalid.phone',
      note: 'invalid.tooLong {"max":2000,"n":2001}',
    });
  });

  test('a number out of range or off its step, a missing choice', () => {
    expect(fieldErrors(ExtensionBodySchema, { workingDays: 0.3, reason: 'r' }, t)).toEqual({ workingDays: 'invalid.step {"step":0.5}' });
    expect(fieldErrors(ExtensionBodySchema, { workingDays: 31, reason: 'r' }, t)).toEqual({ workingDays: 'invalid.number {"min":0.5,"max":30}' });
    expect(fieldErrors(SuperviseBodySchema, { action: 'reassign', note: 'n' }, t)).toEqual({ toUnit: 'invalid.choose' });
    expect(fieldErrors(CreateCaseBodySchema, { title: 't', description: 'd', reportedVia: 'patrol' }, t)).toEqual({ category: 'invalid.choose' });
  });

  test('a valid body has no error', () => {
    expect(fieldErrors(SignOffBodySchema, { handler: { name: '李娟', phone: '0717-6221234' } }, t)).toEqual({});
  });
});

test('blank optional fields are left out, not sent empty', () => {
  expect(textOrUndefined('  ')).toBeUndefined();
  expect(textOrUndefined(' a ')).toBe('a');
  expect(compact({ a: 1, b: undefined, c: '' })).toEqual({ a: 1, c: '' });
});
