import {
  addDays,
  earlier,
  isBefore,
  later,
  randomInstant,
  SAMPLE_END,
  SAMPLE_START,
  SAMPLE_TODAY,
} from './dates.ts';
import type { IdScope } from './id-scope.ts';
import { createRng, type Rng } from './prng.ts';
import { RELEASES } from './roadmap-words.ts';
import type { SampleRow } from './rows.ts';

export interface ReleaseRow extends SampleRow {
  name: string;
  version: string;
  /** `YYYY-MM-DD`, absent while unscheduled. */
  date: string | undefined;
  released: boolean;
}

/**
 * When a release was planned: 30 to 75 days before its launch, kept inside the sample window
 * (a release far in the future was planned in the window's last weeks).
 */
function plannedAt(rng: Rng, launch: string): string {
  const latest = earlier(addDays(launch, -30), SAMPLE_END);
  const earliest = earlier(later(SAMPLE_START, addDays(launch, -75)), addDays(latest, -14));
  return randomInstant(rng, earliest, latest);
}

/** The Releases rows, without Features links and Notes (both depend on the features). */
export function generateReleases(ids: IdScope): ReleaseRow[] {
  const rng = createRng('product-roadmap/Releases');
  return RELEASES.map((spec, index) => {
    const launch = spec.date === undefined ? undefined : `${spec.date}T16:00:00.000Z`;
    const createdTime =
      launch === undefined
        ? randomInstant(rng, '2026-09-01T00:00:00.000Z', SAMPLE_END)
        : plannedAt(rng, launch);
    const released = launch !== undefined && isBefore(launch, SAMPLE_TODAY);
    return {
      index,
      id: ids.record('Releases', index),
      createdTime,
      name: spec.name,
      version: spec.version,
      date: spec.date,
      released,
      cells: {
        Name: spec.name,
        Version: spec.version,
        'Release Date': spec.date,
        'Launch Time': launch,
        'Is Released': released,
      },
    };
  });
}

/** Markdown release notes (richText) listing the release's features; none while unscheduled. */
export function releaseNotes(release: ReleaseRow, featureNames: readonly string[]): string | undefined {
  if (release.date === undefined) return undefined;
  const list = featureNames.map((name) => `- **${name}**`).join('\n');
  if (!release.released) {
    return `# ${release.name} (${release.version})\n\n_Draft: scope may change._\n\n${list}\n`;
  }
  return (
    `# ${release.name} (${release.version})\n\n## Highlights\n\n${list}\n\n` +
    `Thanks to everyone who reported "papercut" bugs. See the [changelog](https://example.com/changelog/${release.version}).\n`
  );
}
