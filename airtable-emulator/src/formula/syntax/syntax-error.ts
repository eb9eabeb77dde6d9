import { FormulaSyntaxError } from '../types.ts';

/** A FormulaSyntaxError whose message names the problem and where it is (1-based, as editors count). */
export function syntaxError(problem: string, pos: number): FormulaSyntaxError {
  return new FormulaSyntaxError(`${problem} at character ${pos + 1}`);
}

/** How a token reads in an error message. */
export function describeChar(ch: string | undefined): string {
  return ch === undefined ? 'end of formula' : `'${ch}'`;
}
