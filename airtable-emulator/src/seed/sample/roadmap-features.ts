import { addDays, earlier, randomInstant, SAMPLE_END, SAMPLE_START } from './dates.ts';
import type { IdScope } from './id-scope.ts';
import { createRng, type Rng } from './prng.ts';
import type { ReleaseRow } from './roadmap-releases.ts';
import {
  AREAS,
  BENEFITS,
  CAPABILITIES,
  FEATURE_TAGS,
  type FeatureStatus,
  PERSONAS,
  PRIORITIES,
  SPECIAL_FEATURES,
} from './roadmap-words.ts';
import { type SampleRow, slugify } from './rows.ts';

export const FEATURE_COUNT = 60;
const EFFORTS = [0.5, 1, 1.5, 2, 3, 5, 8, 13] as const;

export interface FeatureRow extends SampleRow {
  name: string;
  releaseIndex: number | undefined;
  status: FeatureStatus;
}

function featureNames(rng: Rng): string[] {
  const names = new Set<string>(SPECIAL_FEATURES);
  while (names.size < FEATURE_COUNT) names.add(`${rng.pick(CAPABILITIES)} ${rng.pick(AREAS)}`);
  return [...names];
}

function statusFor(rng: Rng, release: ReleaseRow | undefined): FeatureStatus {
  if (release === undefined) return rng.chance(0.7) ? 'Idea' : 'Planned';
  if (release.released) return 'Shipped';
  if (release.date === undefined) return 'Planned';
  return rng.pick(['Planned', 'In progress', 'In progress', 'In review'] as const);
}

function completion(rng: Rng, status: FeatureStatus): number | undefined {
  switch (status) {
    case 'Shipped':
      return 1;
    case 'In review':
      return 0.9;
    case 'In progress':
      return (rng.int(2, 16) * 5) / 100;
    case 'Planned':
      return rng.chance(0.5) ? 0 : undefined;
    case 'Idea':
      return undefined;
  }
}

function description(rng: Rng, name: string): string | undefined {
  if (!rng.chance(0.75)) return undefined;
  const story = `As ${rng.pick(PERSONAS)}, I want ${name.toLowerCase()} so that ${rng.pick(BENEFITS)}.`;
  return rng.chance(0.5)
    ? `${story}\n\nAcceptance criteria:\n- Works on desktop and mobile\n- Documented`
    : story;
}

/** Created before its release ships (when it has a date), inside the sample window. */
function createdTimeFor(rng: Rng, release: ReleaseRow | undefined): string {
  if (release?.date === undefined) return randomInstant(rng, SAMPLE_START, SAMPLE_END);
  return randomInstant(rng, SAMPLE_START, earlier(addDays(`${release.date}T00:00:00.000Z`, -14), SAMPLE_END));
}

/** The Features rows, with Release (this side of the link) as an index. */
export function generateFeatures(ids: IdScope, releases: readonly ReleaseRow[]): FeatureRow[] {
  const rng = createRng('product-roadmap/Features');
  const scheduled = releases.filter((r) => r.date !== undefined).map((r) => r.index);
  return featureNames(rng).map((name, index) => {
    // The first features seed every scheduled release; later ones are spread out, some unplanned.
    // Unscheduled releases get none, so the Features link has empty cells on that side too.
    const releaseIndex =
      index < scheduled.length ? scheduled[index] : rng.chance(0.25) ? undefined : rng.pick(scheduled);
    const release = releaseIndex === undefined ? undefined : releases[releaseIndex];
    const status = statusFor(rng, release);
    const tags = rng.sample(
      FEATURE_TAGS.map((t) => t.name),
      rng.int(0, 3),
    );
    return {
      index,
      id: ids.record('Features', index),
      createdTime: createdTimeFor(rng, release),
      name,
      releaseIndex,
      status,
      cells: {
        Name: name,
        Description: description(rng, name),
        Status: status,
        Priority: status === 'Idea' && rng.chance(0.3) ? undefined : rng.pick(PRIORITIES).name,
        Effort: status === 'Idea' && rng.chance(0.5) ? undefined : rng.pick(EFFORTS),
        Tags: FEATURE_TAGS.map((t) => t.name).filter((tag) => tags.includes(tag)),
        'Spec URL': rng.chance(0.6) ? `https://example.com/specs/${slugify(name)}` : undefined,
        Shipped: status === 'Shipped',
        Score: rng.chance(0.8) ? rng.int(1, 10) : undefined,
        Completion: completion(rng, status),
      },
    };
  });
}
