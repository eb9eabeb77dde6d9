import type { FixtureTable } from '../fixture-schema.ts';
import { CHECKBOX_OPTIONS, DATE_OPTIONS, DATE_TIME_OPTIONS, fieldBuilder } from './field-builders.ts';
import type { IdScope } from './id-scope.ts';
import { FEATURE_STATUSES, FEATURE_TAGS, PRIORITIES } from './roadmap-words.ts';

/** The two roadmap tables without records: fields (with the link pair) and views. */
export function productRoadmapTables(ids: IdScope): Record<'features' | 'releases', FixtureTable> {
  const fe = fieldBuilder(ids, 'Features');
  const re = fieldBuilder(ids, 'Releases');
  const view = (table: string, name: string) => ({ id: ids.view(table, name), name });

  const features: FixtureTable = {
    id: ids.table('Features'),
    name: 'Features',
    description: 'Everything we plan to build, are building, or have shipped.',
    primaryField: 'Name',
    fields: [
      fe.plain('Name', 'singleLineText'),
      fe.plain('Description', 'multilineText'),
      fe.select('Status', 'singleSelect', FEATURE_STATUSES),
      fe.select('Priority', 'singleSelect', PRIORITIES),
      fe.plain('Effort', 'number', { precision: 1 }, 'Estimate in engineer-weeks.'),
      fe.link('Release', 'Releases', 'Features', true),
      fe.select('Tags', 'multipleSelects', FEATURE_TAGS),
      fe.plain('Spec URL', 'url'),
      fe.plain('Shipped', 'checkbox', CHECKBOX_OPTIONS),
      fe.plain('Score', 'rating', { max: 10, icon: 'heart', color: 'redBright' }),
      fe.plain('Completion', 'percent', { precision: 0 }),
      fe.plain('Created', 'createdTime', {}),
      fe.plain('Key', 'autoNumber', {}),
      fe.formula('Label', "CONCATENATE('F-', {Key}, ': ', {Name})"),
    ],
    views: [
      { ...view('Features', 'Grid view'), type: 'grid' },
      {
        ...view('Features', 'Shipped'),
        type: 'grid',
        filterByFormula: '{Shipped}',
        sort: [{ field: 'Name', direction: 'asc' }],
      },
      {
        ...view('Features', 'High priority'),
        type: 'grid',
        filterByFormula: "AND(OR({Priority} = 'P0 - Critical', {Priority} = 'P1 - High'), NOT({Shipped}))",
        sort: [
          { field: 'Priority', direction: 'asc' },
          { field: 'Score', direction: 'desc' },
        ],
        visibleFields: ['Name', 'Status', 'Priority', 'Score', 'Effort', 'Release'],
      },
      { ...view('Features', 'Roadmap board'), type: 'kanban' },
      {
        ...view('Features', 'Ideas backlog'),
        type: 'grid',
        filterByFormula: "{Status} = 'Idea'",
        sort: [{ field: 'Score', direction: 'desc' }],
      },
    ],
  };

  const releases: FixtureTable = {
    id: ids.table('Releases'),
    name: 'Releases',
    primaryField: 'Name',
    fields: [
      re.plain('Name', 'singleLineText'),
      re.plain('Version', 'singleLineText'),
      re.plain('Release Date', 'date', DATE_OPTIONS),
      re.plain('Launch Time', 'dateTime', DATE_TIME_OPTIONS),
      re.link('Features', 'Features', 'Release', false),
      re.plain('Notes', 'richText'),
      re.plain('Is Released', 'checkbox', CHECKBOX_OPTIONS),
    ],
    views: [
      { ...view('Releases', 'Grid view'), type: 'grid' },
      {
        ...view('Releases', 'Upcoming'),
        type: 'grid',
        filterByFormula: 'NOT({Is Released})',
        sort: [{ field: 'Release Date', direction: 'asc' }],
      },
      { ...view('Releases', 'Timeline'), type: 'timeline' },
      {
        ...view('Releases', 'Released'),
        type: 'grid',
        filterByFormula: '{Is Released}',
        sort: [{ field: 'Release Date', direction: 'desc' }],
        visibleFields: ['Name', 'Version', 'Release Date', 'Features'],
      },
    ],
  };

  return { features, releases };
}
