import { describe, expect, it } from 'vitest';
import { isCustomEventType, matchesPatterns, unknownEventPatterns } from './catalogue.ts';

/** Endpoint filters name the platform's event types or a plugin's own ones (emit_event). */
describe('event type patterns', () => {
  it("accept the catalogue's types, prefix wildcards and *", () => {
    expect(unknownEventPatterns(['record.created', 'member.*', 'plugin.*', '*'])).toEqual([]);
  });

  it('accept plugin.<plugin>.<type> and plugin.<plugin>.*, even before the plugin is installed', () => {
    expect(unknownEventPatterns(['plugin.scorer.lead_scored', 'plugin.dedupe.*'])).toEqual([]);
    expect(isCustomEventType('plugin.scorer.lead_scored')).toBe(true);
    // Two segments are the platform's own plugin events; those must be in the catalogue.
    expect(isCustomEventType('plugin.installed')).toBe(false);
  });

  it('refuse typos and malformed plugin types, each named', () => {
    expect(
      unknownEventPatterns([
        'record.craeted',
        'plugin.Scorer.x',
        'plugin.scorer.lead-scored',
        'plugin.a.b.c',
      ]),
    ).toEqual(['record.craeted', 'plugin.Scorer.x', 'plugin.scorer.lead-scored', 'plugin.a.b.c']);
  });

  it('match a plugin wildcard to its own types only', () => {
    expect(matchesPatterns('plugin.scorer.lead_scored', ['plugin.scorer.*'])).toBe(true);
    expect(matchesPatterns('plugin.dedupe.found', ['plugin.scorer.*'])).toBe(false);
    expect(matchesPatterns('plugin.scorer.lead_scored', ['plugin.*'])).toBe(true);
  });
});
