import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { baseSchemaUri } from './register-resources.ts';

function userText(text: string): GetPromptResult['messages'][number] {
  return { role: 'user', content: { type: 'text', text } };
}

const baseId = z.string().describe('The base id (starts with "app"); list_bases shows them.');

/** Starting points for a user: explore a base, clean up duplicates, summarise recent changes. */
export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    'explore_base',
    {
      title: 'Explore a base',
      description: 'Tour an Airtable base: its tables, what they hold and how they link.',
      argsSchema: { baseId },
    },
    ({ baseId }) => ({
      description: `Explore base ${baseId}`,
      messages: [
        userText(
          `Explore the Airtable base ${baseId}. Read its schema (resource ${baseSchemaUri(baseId)}, or the describe_base tool), ` +
            'then describe each table in a sentence: what one record represents, its key fields, and how tables link to each other. ' +
            'Show a few sample records from the most important table, and end with three questions I could ask about this data.',
        ),
      ],
    }),
  );
  server.registerPrompt(
    'clean_up_duplicates',
    {
      title: 'Clean up duplicates',
      description: 'Find records that look like duplicates in a table and propose (not apply) merges.',
      argsSchema: {
        baseId,
        table: z.string().describe('Table name or id.'),
        matchOn: z
          .string()
          .optional()
          .describe('Field(s) that identify a duplicate, comma-separated (default: the primary field).'),
      },
    },
    ({ baseId, table, matchOn }) => ({
      description: `Find duplicates in ${table}`,
      messages: [
        userText(
          `In the Airtable base ${baseId}, table "${table}", find records that are probably duplicates ` +
            `(matching on ${matchOn ? `the field(s) ${matchOn}` : 'the primary field'}, ignoring case and surrounding spaces). ` +
            'List each group of duplicates with its record ids and the fields where they differ, and propose which record to keep. ' +
            'Do not change or delete anything until I confirm each group.',
        ),
      ],
    }),
  );
  server.registerPrompt(
    'summarise_recent_changes',
    {
      title: 'Summarise recent changes',
      description: 'Summarise what changed recently in a base (records created or modified).',
      argsSchema: {
        baseId,
        days: z.string().optional().describe('How many days back to look (default 7).'),
      },
    },
    ({ baseId, days }) => ({
      description: `Recent changes in ${baseId}`,
      messages: [
        userText(
          `Summarise what changed in the Airtable base ${baseId} over the last ${days ?? '7'} days. ` +
            'For each table, find records created or modified in that window (use a filter on LAST_MODIFIED_TIME() or CREATED_TIME()), ' +
            'count them, and highlight notable changes. Keep the summary short and group it by table.',
        ),
      ],
    }),
  );
}
