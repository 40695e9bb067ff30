import fc from 'fast-check';
import { newTrackingCode, readTrackingCode, TRACKING_CODE_PATTERN } from '../../../functions/domain/tracking';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const bytes = fc.uint8Array({ minLength: 5, maxLength: 5 }).map((a) => Buffer.from(a));

describe('tracking codes', () => {
  it('are XXXX-XXXX-C in an alphabet without I, L, O or U, and read back as themselves', () => {
    fc.assert(
      fc.property(bytes, (random) => {
        const code = newTrackingCode(() => random);
        expect(code).toMatch(TRACKING_CODE_PATTERN);
        expect(readTrackingCode(code)).toBe(code);
        expect(readTrackingCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
      }),
    );
  });

  it('carry all 40 random bits: different bytes give different codes', () => {
    const a = newTrackingCode(() => Buffer.from([0, 0, 0, 0, 0]));
    const b = newTrackingCode(() => Buffer.from([0, 0, 0, 0, 1]));
    const c = newTrackingCode(() => Buffer.from([128, 0, 0, 0, 0]));
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it('forgive O for 0 and I or L for 1', () => {
    const code = newTrackingCode(() => Buffer.from([0, 0, 0, 0, 33]));
    expect(code.startsWith('0000-00')).toBe(true);
    expect(readTrackingCode(code.replace(/0/g, 'O'))).toBe(code);
    expect(readTrackingCode(code.replace(/1/g, 'l'))).toBe(code);
  });

  it('catch every single wrong character with the check character', () => {
    fc.assert(
      fc.property(bytes, fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 31 }), (random, position, shift) => {
        const code = newTrackingCode(() => random).replace(/-/g, '');
        const wrong = code.slice(0, position) + ALPHABET[(ALPHABET.indexOf(code[position]) + shift) % 32] + code.slice(position + 1);
        expect(readTrackingCode(wrong)).toBeUndefined();
      }),
    );
  });

  it('refuse anything that is not a code', () => {
    for (const typed of ['', 'ABCD', 'ABCD-EFGH-JK', 'ABCD-EFGH-#', 'UUUU-UUUU-U', '../../etc']) expect(readTrackingCode(typed)).toBeUndefined();
  });
});
