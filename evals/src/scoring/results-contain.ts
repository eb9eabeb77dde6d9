import type { RecordedRequest } from '../fake-gemini/index.ts';

/** A call that answered with an error, as the run saw it. */
export interface FailedCall {
  tool: string;
  error: string;
}

/** A result's values as plain text, one per line: strings as they are (not JSON-escaped), numbers. */
export function resultText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return Object.values(value).map(resultText).filter(Boolean).join('\n');
  return String(value);
}

/**
 * Every tool result a run's model was given, as text: the functionResponse parts of its requests
 * (each request repeats the history, so each result is kept once).
 */
export function resultsGiven(requests: readonly RecordedRequest[]): string[] {
  const seen = new Set<string>();
  for (const request of requests) {
    for (const content of request.body.contents ?? []) {
      for (const part of content.parts ?? []) {
        if (part.functionResponse) seen.add(resultText(part.functionResponse.response));
      }
    }
  }
  return [...seen];
}

/**
 * The facts a scenario's answer rests on, checked where they come from: each expected string
 * must be in some tool result (case-insensitive). A replayed answer is the recording's text
 * whatever the tools return now, so this is what notices a read that went wrong (a broken filter,
 * a wrong record); the calls that failed are named, being the likely cause.
 */
export function resultProblems(
  results: readonly string[],
  expected: readonly string[],
  failed: readonly FailedCall[],
): string[] {
  const haystack = results.map((r) => r.toLowerCase());
  const why =
    failed.length > 0
      ? ` (failed: ${failed.map((f) => `${f.tool}: ${f.error.slice(0, 160)}`).join('; ')})`
      : '';
  return expected
    .filter((fact) => !haystack.some((r) => r.includes(fact.toLowerCase())))
    .map((fact) => `wrong result: no tool result says "${fact}"${why}`);
}
