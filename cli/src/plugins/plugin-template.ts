import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError } from '../config-error.ts';

/** As the manifest's schema takes plugin names (platform-api plugins/manifest.ts). */
const PLUGIN_NAME = /^[a-z][a-z0-9_]{0,39}$/;

function manifestOf(name: string): string {
  const manifest = {
    name,
    version: '0.1.0',
    description: `What ${name} does, in a sentence for the people who install it.`,
    author: 'Your name',
    functions: [
      {
        name: 'greet',
        description: 'Greets a person by name, and says how many characters the name has.',
        input_schema: {
          type: 'object',
          properties: { name: { type: 'string', description: 'Who to greet' } },
          required: ['name'],
        },
        output_schema: {
          type: 'object',
          properties: {
            greeting: { type: 'string' },
            shout: { type: 'string' },
            characters: { type: 'integer' },
          },
        },
        annotations: { title: 'Greet', readOnlyHint: true },
      },
    ],
    hooks: {},
    permissions: { records: { read: [], write: [] }, kv: false, events: { emit: [] } },
    limits: { memory_pages: 16, timeout_ms: 1000 },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

const SOURCE = `// Each function exported here and listed in manifest.json becomes a tool of the workspaces
// that install the plugin, plugin_<name>_<function>; it reads its input and writes its output
// as JSON, and returns 0 (or \`return fail("why")\`).
import { inputJson, Json, outputJson } from "airsuite";

/** Characters as people count them: an emoji written as a surrogate pair is one. */
function characters(text: string): i32 {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xdc00 || unit > 0xdfff) count++;
  }
  return count;
}

export function greet(): i32 {
  const name = inputJson().getString("name");
  outputJson(
    Json.object()
      .setString("greeting", "Hello, " + name + "!")
      .setString("shout", name.toUpperCase())
      .setNumber("characters", characters(name)),
  );
  return 0;
}
`;

function readmeOf(name: string): string {
  return `# ${name}

An AirSuite plugin: \`airsuite plugin build\` here compiles assembly/index.ts (AssemblyScript,
with the kit: \`import … from "airsuite"\`) into build/plugin.wasm and checks it as the platform
will; \`airsuite plugin run --function greet --input '{"name":"Zoë"}'\` tries it on this machine,
and \`airsuite plugin publish --install\` uploads it to a workspace.

manifest.json says what the platform may let it do:

- \`functions\`: each exported function, its description (the model reads it), \`input_schema\`
  and \`output_schema\` (JSON Schema objects) and MCP \`annotations\` (\`readOnlyHint\` lets viewers call it).
- \`hooks\`: \`before_write\` (\`{}\`: a function named before_write sees every write first) and
  \`on_event\` (\`{"events": ["record.created"]}\`).
- \`permissions\`: \`records.read\`/\`records.write\` as \`[{"base": "app…", "tables": ["Deals"]}]\`,
  \`kv\` (its own storage), \`events.emit\` (event types of its own).
- \`limits\`: \`memory_pages\` (64 KiB each), \`timeout_ms\`, \`max_input_bytes\`, \`max_output_bytes\`.

Bump \`version\` for each publish: versions are immutable.
`;
}

/** The files of a new plugin named `name`, by path within its folder. */
export function pluginTemplate(name: string): Record<string, string> {
  return {
    'manifest.json': manifestOf(name),
    'assembly/index.ts': SOURCE,
    'README.md': readmeOf(name),
    '.gitignore': 'build/\n',
  };
}

/**
 * Writes a new plugin into `dir`, which must be empty or absent: a working function the
 * cli builds as it is (its compiler and kit are the cli's own, so the folder needs no install).
 */
export async function createPlugin(name: string, dir: string): Promise<string[]> {
  if (!PLUGIN_NAME.test(name)) {
    const suggestion = name
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^[^a-z]+/, '');
    throw new ConfigError(
      `"${name}" is not a plugin name: lower-case letters, digits and _, starting with a letter, at most 40${suggestion ? ` (${suggestion.slice(0, 40)}?)` : ''}`,
    );
  }
  const present = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw new ConfigError(`${dir} cannot be the plugin's folder (${error.code}): choose another with --dir`);
  });
  if (present.length > 0) throw new ConfigError(`${dir} is not empty: choose a new folder with --dir`);
  const files = pluginTemplate(name);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return Object.keys(files);
}
