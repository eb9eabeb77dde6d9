import { faultSchema } from '@airsuite/airtable-emulator';
import { z } from 'zod';

/**
 * One eval scenario, as its YAML file says it (snake_case, like the tools): who asks what, and
 * what must be true afterwards. The end state of the base and of the platform is the primary
 * criterion (τ-bench's DB check); calls are scored apart (BFCL's AST match), so an agent that
 * reaches the right state another way is told apart from one that calls the wrong tool.
 * Argument and value matchers are described in matchers.ts.
 */

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{2,79}$/, 'lower-case letters, digits and -, 3 to 80 characters (the file name)');

const approval = z.union([
  z.enum(['approve', 'deny']),
  z.object({ edit: z.record(z.string(), z.unknown()).describe('the arguments the person changes') }).strict(),
]);

const picked = {
  base: z.string().regex(/^app[A-Za-z0-9]{14}$/, 'a base id (app…)'),
  table: z.string().min(1),
  where: z.record(z.string(), z.unknown()).describe('cells (or matchers) that pick the records'),
};

/** Something that happens before the person speaks: another person's change, or an outage. */
const beforeAction = z.union([
  z.object({ delete: z.object(picked).strict() }).strict(),
  z.object({ update: z.object({ ...picked, fields: z.record(z.string(), z.unknown()) }).strict() }).strict(),
  z.object({ faults: faultSchema.describe("the emulator's faults from now on ({} clears them)") }).strict(),
]);

export type BeforeAction = z.output<typeof beforeAction>;

const turn = z
  .object({
    user: z.string().min(1).describe('what the person types'),
    before: z
      .array(beforeAction)
      .default([])
      .describe('what happens first: someone else deletes or changes records, Airtable starts failing'),
    approvals: z
      .array(approval)
      .default([])
      .describe('answers to the confirmations this turn asks for, in order (destructive and bulk calls)'),
  })
  .strict();

const expectedCall = z
  .object({
    tool: z.string().min(1),
    args: z.unknown().optional().describe('a matcher over the whole arguments object; absent: any arguments'),
  })
  .strict();

const forbiddenCall = z.union([z.string().min(1), expectedCall]);

const recordState = z
  .object({
    base: z.string().min(1).describe('base id (app…)'),
    table: z.string().min(1).describe('table name or id'),
    where: z.record(z.string(), z.unknown()).describe('cell values (or matchers) that pick the records'),
    exists: z.boolean().default(true).describe('whether such records must exist'),
    count: z.number().int().min(0).optional().describe('exactly this many records match'),
    fields: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('values (or matchers) every matching record must have'),
  })
  .strict();

const entries = z.array(z.record(z.string(), z.unknown())).optional();

const platformKinds = {
  webhooks: entries.describe('endpoints: url, event_types, enabled, description (each a matcher)'),
  members: entries.describe('members: email, role (each a matcher)'),
  plugins: entries.describe('installed plugins: name, version, status (enabled, disabled), config'),
};

const platformState = z
  .object({
    ...platformKinds,
    absent: z
      .object(platformKinds)
      .strict()
      .optional()
      .describe('entries that must match nothing (a deleted webhook, a removed plugin)'),
  })
  .strict();

/** A plugin of the kit's examples, published in the scenario's workspace before it starts. */
const pluginSetup = z.union([
  z.string().transform((example): { example: string; install: boolean; config?: Record<string, string> } => ({
    example,
    install: true,
  })),
  z
    .object({
      example: z
        .string()
        .regex(/^[a-z][a-z0-9-]*$/)
        .describe('a folder of cli/plugin-kit/examples'),
      install: z.boolean().default(true).describe('installed (enabled) too, or only published'),
      config: z.record(z.string(), z.string()).optional(),
    })
    .strict(),
]);

export type PluginSetup = z.output<typeof pluginSetup>;

const expectations = z
  .object({
    calls: z.array(expectedCall).default([]).describe('calls that must be made'),
    order: z
      .enum(['strict', 'loose'])
      .default('loose')
      .describe('strict: in this order, others may come between'),
    forbidden: z.array(forbiddenCall).default([]).describe('calls that must not be made'),
    no_calls: z.boolean().default(false).describe('an irrelevant or unsafe request: no tool may be called'),
    state: z.array(recordState).default([]),
    platform: platformState.optional(),
    answer_contains: z
      .array(z.string().min(1))
      .default([])
      .describe('the final answer says each (case-insensitive)'),
    results_contain: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'the facts behind the answer: some tool result the model was given says each (case-insensitive)',
      ),
    max_steps: z.number().int().min(1).max(50).default(10).describe('model turns allowed'),
  })
  .strict()
  .refine((e) => !(e.no_calls && e.calls.length > 0), {
    message: 'no_calls and calls contradict each other',
    path: ['no_calls'],
  });

export const scenarioSchema = z
  .object({
    id,
    title: z.string().min(5).max(200),
    tags: z
      .array(z.string().regex(/^[a-z][a-z0-9-]*$/))
      .min(1)
      .describe('its categories (reading, bulk, errors…)'),
    fixtures: z
      .array(z.string().min(1))
      .default(['sample'])
      .describe('bases loaded into the emulator: "sample" or fixture files under evals/fixtures'),
    role: z.enum(['viewer', 'editor', 'admin', 'owner']).default('editor').describe("the caller's role"),
    group: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/)
      .optional()
      .describe(
        'scenarios of one group run at once on one stage (one base, its real limits); no upstream 429 is part of their pass',
      ),
    plugins: z
      .array(pluginSetup)
      .default([])
      .describe("the kit's example plugins published (and installed) in the workspace first"),
    turns: z.array(turn).min(1),
    expect: expectations,
  })
  .strict();

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ExpectedCall = z.output<typeof expectedCall>;
export type RecordState = z.output<typeof recordState>;
