import { matchesFilterPolicy, type FilterPolicy } from '../../../local/sns-filter-policy';

const s = (value: string) => ({ DataType: 'String', StringValue: value });
const n = (value: number) => ({ DataType: 'Number', StringValue: String(value) });
const breach = { type: s('SIGN_OFF_OVERDUE'), tier: n(1), unit: s('street-xiling-xiling'), district: s('xiling'), audience: s('unit') };
const match = (policy: FilterPolicy, attributes: Record<string, { DataType: string; StringValue: string }> = breach) => matchesFilterPolicy(policy, attributes);

describe('SNS filter policies on message attributes', () => {
  it('no policy passes everything', () => expect(matchesFilterPolicy(undefined, breach)).toBe(true));

  it('exact strings: any in the list (OR), every key (AND)', () => {
    expect(match({ unit: ['street-xiling-xiling'] })).toBe(true);
    expect(match({ unit: ['street-xiling-xueyuan', 'street-xiling-xiling'] })).toBe(true);
    expect(match({ unit: ['street-xiling-xiling'], district: ['wujiagang'] })).toBe(false);
    expect(match({ unit: ['street-xiling'] })).toBe(false);
  });

  it('a key the message lacks fails, unless it asks for absence', () => {
    expect(match({ coHandler: ['x'] })).toBe(false);
    expect(match({ coHandler: [{ exists: false }] })).toBe(true);
    expect(match({ unit: [{ exists: true }] })).toBe(true);
    expect(match({ unit: [{ exists: false }] })).toBe(false);
  });

  it('prefix, suffix and equals-ignore-case', () => {
    expect(match({ type: [{ prefix: 'SIGN_OFF_' }] })).toBe(true);
    expect(match({ type: [{ prefix: 'HANDLING_' }] })).toBe(false);
    expect(match({ type: [{ suffix: '_OVERDUE' }] })).toBe(true);
    expect(match({ type: [{ 'equals-ignore-case': 'sign_off_overdue' }] })).toBe(true);
  });

  it('anything-but: a value, a list, a prefix; never matches an absent attribute', () => {
    expect(match({ type: [{ 'anything-but': 'SIGN_OFF_WARNING' }] })).toBe(true);
    expect(match({ type: [{ 'anything-but': ['SIGN_OFF_OVERDUE', 'HANDLING_OVERDUE'] }] })).toBe(false);
    expect(match({ type: [{ 'anything-but': { prefix: 'SIGN_OFF' } }] })).toBe(false);
    expect(match({ tier: [{ 'anything-but': [0] }] })).toBe(true);
    expect(match({ missing: [{ 'anything-but': 'x' }] })).toBe(false);
  });

  it('numbers: exact and ranges on Number attributes only', () => {
    expect(match({ tier: [1] })).toBe(true);
    expect(match({ tier: [2] })).toBe(false);
    expect(match({ tier: [{ numeric: ['>=', 1, '<', 3] }] })).toBe(true);
    expect(match({ tier: [{ numeric: ['>', 1] }] })).toBe(false);
    expect(match({ tier: [{ numeric: ['=', 1] }] })).toBe(true);
    // A Number attribute is not the string "1", as in AWS.
    expect(match({ tier: ['1'] })).toBe(false);
    expect(match({ unit: [{ numeric: ['>', 0] }] })).toBe(false);
  });

  it('String.Array: matches when any element does', () => {
    const attributes = { ...breach, audience: { DataType: 'String.Array', StringValue: '["unit","supervision"]' } };
    expect(match({ audience: ['supervision'] }, attributes)).toBe(true);
    expect(match({ audience: ['complainant'] }, attributes)).toBe(false);
  });

  it('$or: either whole policy', () => {
    const policy: FilterPolicy = { $or: [{ unit: ['supervision-centre'] }, { type: [{ suffix: '_OVERDUE' }], district: ['xiling'] }] };
    expect(match(policy)).toBe(true);
    expect(match(policy, { ...breach, district: s('dianjun') })).toBe(false);
    expect(match({ audience: ['unit'], $or: [{ tier: [0] }, { tier: [1] }] })).toBe(true);
  });

  it('refuses a malformed numeric range instead of guessing', () => {
    expect(() => match({ tier: [{ numeric: ['>', 'one'] }] })).toThrow('numeric');
    expect(() => match({ tier: [{ numeric: ['~', 1] }] })).toThrow('numeric');
  });
});
