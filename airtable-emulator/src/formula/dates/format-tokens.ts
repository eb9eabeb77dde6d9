/**
 * moment.js-style format strings, split into tokens. Longer tokens come first in the
 * alternation so 'MMMM' never reads as 'MM' 'MM'. Text in [brackets] is literal; any other
 * character stands for itself.
 */
const TOKEN =
  /\[[^\]]*\]|LTS|LT|LLLL|LLL|LL|L|llll|lll|ll|l|MMMM|MMM|Mo|MM|M|Qo|Q|DDDD|DDDo|DDD|Do|DD|D|dddd|ddd|do|dd|d|E|e|Wo|WW|W|wo|ww|w|YYYY|YY|Y|A|a|HH|H|hh|h|kk|k|mm|m|ss|s|SSS|SS|S|ZZ|Z|zz|z|X|x|[\s\S]/g;

/** The English expansions of moment's localized formats. */
const LOCALIZED: Readonly<Record<string, string>> = {
  LT: 'h:mm A',
  LTS: 'h:mm:ss A',
  L: 'MM/DD/YYYY',
  LL: 'MMMM D, YYYY',
  LLL: 'MMMM D, YYYY h:mm A',
  LLLL: 'dddd, MMMM D, YYYY h:mm A',
  l: 'M/D/YYYY',
  ll: 'MMM D, YYYY',
  lll: 'MMM D, YYYY h:mm A',
  llll: 'ddd, MMM D, YYYY h:mm A',
};

export type FormatToken = { literal: string } | { token: string };

/** The tokens of a format, with localized formats ('LL') expanded. */
export function formatTokens(format: string): FormatToken[] {
  const tokens: FormatToken[] = [];
  for (const [raw] of format.matchAll(TOKEN)) {
    const expansion = LOCALIZED[raw];
    if (expansion !== undefined) {
      tokens.push(...formatTokens(expansion));
    } else if (raw.startsWith('[') && raw.endsWith(']') && raw.length >= 2) {
      tokens.push({ literal: raw.slice(1, -1) });
    } else if (raw.length === 1 && !/[A-Za-z]/.test(raw)) {
      tokens.push({ literal: raw });
    } else {
      tokens.push({ token: raw });
    }
  }
  return tokens;
}
