import type { FixtureBase, FixtureRecord } from '../fixture-schema.ts';
import { commentThread, earlyRows } from './comments.ts';
import { createIdScope } from './id-scope.ts';
import { productRoadmapTables } from './product-roadmap-schema.ts';
import { generateFeatures } from './roadmap-features.ts';
import { generateReleases, releaseNotes } from './roadmap-releases.ts';
import { idsWhere, toFixtureRecords } from './rows.ts';
import { SAMPLE_USERS } from './users.ts';

type FixtureComment = NonNullable<FixtureRecord['comments']>[number];

export const PRODUCT_ROADMAP_BASE_ID = createIdScope('product-roadmap').base;

/** The "Product Roadmap" base: Features ⇄ Releases, links filled in on both sides. */
export function productRoadmapBase(): FixtureBase {
  const ids = createIdScope('product-roadmap');
  const tables = productRoadmapTables(ids);
  const releases = generateReleases(ids);
  const features = generateFeatures(ids, releases);

  for (const feature of features) {
    const release = feature.releaseIndex === undefined ? undefined : releases[feature.releaseIndex];
    feature.cells.Release = release === undefined ? [] : [release.id];
  }
  for (const release of releases) {
    release.cells.Features = idsWhere(features, (f) => f.releaseIndex, release.index);
    const names = features.filter((f) => f.releaseIndex === release.index).map((f) => f.name);
    release.cells.Notes = releaseNotes(release, names);
  }

  const [ada, grace, conor] = SAMPLE_USERS.map((u) => u.id) as [string, string, string];
  const comments = new Map<string, FixtureComment[]>();
  const [f0, f1] = earlyRows(features, '2026-09-01', 2);
  if (f0) {
    comments.set(
      f0.id,
      commentThread(ids, 'Features', f0, [
        { authorId: grace, text: 'Design review is done; see the "v2" mock-ups in the spec.', afterDays: 3 },
        {
          authorId: conor,
          text: `@[${grace}] Can we ship it behind a flag first?`,
          afterDays: 4,
          replyTo: 0,
        },
      ]),
    );
  }
  if (f1) {
    comments.set(
      f1.id,
      commentThread(ids, 'Features', f1, [
        {
          authorId: ada,
          text: "Three customers asked for this last week. Let's bump the priority.",
          afterDays: 10,
        },
      ]),
    );
  }

  return {
    id: ids.base,
    name: 'Product Roadmap',
    permissionLevel: 'create',
    tables: [
      { ...tables.features, records: toFixtureRecords(features, comments) },
      { ...tables.releases, records: toFixtureRecords(releases) },
    ],
  };
}
