import { describe, expect, it } from 'vitest';
import { PlatformError } from '../errors.ts';
import { checkPassword } from './password-policy.ts';

const owner = { email: 'Jane.Doe+work@example.com', name: 'Jane Doe' };

function reasonFor(password: string, who: { email: string; name?: string } = owner): string | undefined {
  try {
    checkPassword(password, who);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(PlatformError);
    expect((error as PlatformError).code).toBe('PASSWORD_TOO_WEAK');
    expect((error as PlatformError).status).toBe(400);
    return (error as PlatformError).details?.reason as string;
  }
}

describe('checkPassword', () => {
  it('accepts a reasonable password with no composition rules', () => {
    expect(reasonFor('purple monkey dishwasher')).toBeUndefined();
    expect(reasonFor('zzqxvbnmkw')).toBeUndefined();
  });

  it('draws the length line at 8 code points', () => {
    expect(reasonFor('k3#9vq!')).toBe('too_short');
    expect(reasonFor('k3#9vq!x')).toBeUndefined();
  });

  it('counts code points, not UTF-16 units: 4 emoji are 4 characters', () => {
    expect('🔒🐙🌵🚀'.length).toBe(8);
    expect(reasonFor('🔒🐙🌵🚀')).toBe('too_short');
    expect(reasonFor('🔒🐙🌵🚀🎈🧊🪁🦔')).toBeUndefined();
  });

  it('counts after NFC: precomposed and decomposed accents count alike', () => {
    const nfc = 'r\u00e9s\u00e9d\u00e9s'; // 7 code points
    const nfd = nfc.normalize('NFD'); // 10 code points before normalising
    expect([...nfd]).toHaveLength(10);
    expect(reasonFor(nfc)).toBe('too_short');
    expect(reasonFor(nfd)).toBe('too_short');
    expect(reasonFor(`${nfd}x`)).toBeUndefined();
  });

  it('counts combining marks that have no precomposed form', () => {
    // q + combining dot below stays two code points under NFC.
    expect(reasonFor('q\u0323q\u0323q\u0323q\u0323')).toBeUndefined();
  });

  it('refuses more than 256 code points, without truncating', () => {
    expect(reasonFor('ab'.repeat(128))).toBeUndefined();
    expect(reasonFor(`${'ab'.repeat(128)}c`)).toBe('too_long');
    expect(reasonFor('🚀'.repeat(200))).toBeUndefined(); // 400 UTF-16 units, 200 characters
  });

  it('refuses common passwords whatever their case', () => {
    expect(reasonFor('password')).toBe('common');
    expect(reasonFor('PassWord')).toBe('common');
    expect(reasonFor('QWERTYUIOP')).toBe('common');
    expect(reasonFor('1qaz2wsx')).toBe('common');
  });

  it('refuses the email local part, alone or inside', () => {
    expect(reasonFor('jane.doe+work')).toBe('contains_email');
    expect(reasonFor('JANE.DOE2024!')).toBe('contains_email');
    expect(reasonFor('xx-jane.doe-xx')).toBe('contains_email');
  });

  it('does not search for a very short local part inside the password', () => {
    expect(reasonFor('joyful kangaroo', { email: 'jo@example.com' })).toBeUndefined();
    expect(reasonFor('jo', { email: 'jo@example.com' })).toBe('too_short');
  });

  it('refuses the name', () => {
    expect(reasonFor('jane doe', { email: 'x@example.com', name: 'Jane Doe' })).toBe('equals_name');
    expect(reasonFor('MargarethaSmith', { email: 'x@example.com', name: 'Margaretha Smith' })).toBe(
      'equals_name',
    );
    expect(reasonFor('Margaretha', { email: 'x@example.com', name: 'margaretha' })).toBe('equals_name');
  });

  it('keeps case: it rejects nothing just because of case or spaces', () => {
    expect(reasonFor('  spaced  out  ')).toBeUndefined();
  });
});
