/**
 * Bounds that keep hostile or accidental input from exhausting the emulator.
 * Airtable's own URL limit (16k characters) keeps real filters far below these.
 */

/** Formula text longer than this is rejected before lexing. */
export const MAX_FORMULA_LENGTH = 100_000;

/**
 * Parentheses, function calls and unary operators nest at most this deep. The parser,
 * type inference and evaluation all recurse along nesting, so this bounds their stacks.
 */
export const MAX_NESTING_DEPTH = 200;

/** Text results longer than this become errors (REPT and friends could otherwise allocate gigabytes). */
export const MAX_TEXT_LENGTH = 10_000_000;

/** WORKDAY walks day by day; beyond this many working days it answers with an error. */
export const MAX_WORKDAYS = 100_000;
