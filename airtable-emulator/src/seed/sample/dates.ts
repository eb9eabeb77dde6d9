import type { Rng } from './prng.ts';

/** The window in which sample records are created. */
export const SAMPLE_START = '2025-01-01T00:00:00.000Z';
export const SAMPLE_END = '2026-10-31T23:59:59.000Z';
/**
 * The sample's notion of "today", just after the last record was created: deals that closed
 * closed before it, releases before it are released. Fixed, so the data never depends on the clock.
 */
export const SAMPLE_TODAY = '2026-11-01T00:00:00.000Z';

const DAY_MS = 86_400_000;

/** A whole-second instant, uniformly between `from` and `to` (ISO strings), as an ISO string. */
export function randomInstant(rng: Rng, from: string, to: string): string {
  const start = Date.parse(from);
  const end = Date.parse(to);
  const seconds = Math.floor((start + rng.next() * (end - start)) / 1000);
  return new Date(seconds * 1000).toISOString();
}

/** A time during (UTC) working hours on the day of `iso`, on the quarter hour. */
export function workingHoursOn(rng: Rng, iso: string): string {
  const day = new Date(`${toDateOnly(iso)}T00:00:00.000Z`);
  const minutes = rng.int(8 * 4, 17 * 4) * 15;
  return new Date(day.getTime() + minutes * 60_000).toISOString();
}

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * DAY_MS).toISOString();
}

/** `YYYY-MM-DD`, Airtable's cell format for date fields. */
export function toDateOnly(iso: string): string {
  return iso.slice(0, 10);
}

export function isBefore(a: string, b: string): boolean {
  return Date.parse(a) < Date.parse(b);
}

/** The earlier of two ISO instants. */
export function earlier(a: string, b: string): string {
  return isBefore(a, b) ? a : b;
}

/** The later of two ISO instants. */
export function later(a: string, b: string): string {
  return isBefore(a, b) ? b : a;
}
