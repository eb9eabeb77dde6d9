import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The rooms of ../shared/ARCHITECTURE.md, enforced. The cli is the composition root and
 * imports every package, which makes it the natural keeper of the map. Test code (specs,
 * `testing/` rigs, `acceptance/`, `*-kit.ts`) may borrow a neighbour to build a real
 * system; shipped code may only import what the map allows.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const MAY_IMPORT: Record<string, readonly string[]> = {
  'airtable-gateway': [],
  'airtable-emulator': ['airtable-gateway'],
  tools: ['airtable-gateway'],
  'platform-api': ['tools', 'airtable-gateway'],
  'mcp-server': ['tools', 'platform-api', 'airtable-gateway'],
  orchestrator: ['platform-api'],
};
const PACKAGES = [...Object.keys(MAY_IMPORT), 'cli', 'evals'];

const isTestSupport = (path: string) => /\.test\.ts$|(^|\/)(testing|acceptance)\/|kit\.ts$/.test(path);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules') return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const specifiers = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/\bfrom\s+'([^']+)'|\bimport\s*\(?\s*'([^']+)'/g)].map(
    (match) => (match[1] ?? match[2]) as string,
  );

const ourPackage = (specifier: string) => /^@airsuite\/([a-z-]+)/.exec(specifier)?.[1];

describe('package boundaries (ARCHITECTURE.md)', () => {
  for (const [pkg, allowed] of Object.entries(MAY_IMPORT)) {
    it(`${pkg} ships code that imports only ${allowed.join(', ') || 'nothing of ours'}`, () => {
      const offending = sourceFiles(join(ROOT, pkg))
        .filter((file) => !isTestSupport(relative(ROOT, file)))
        .flatMap((file) =>
          specifiers(file)
            .map(ourPackage)
            .filter((target) => target !== undefined && target !== pkg && !allowed.includes(target))
            .map((target) => `${relative(ROOT, file)} → @airsuite/${target}`),
        );
      expect(offending).toEqual([]);
    });

    it(`${pkg} declares only allowed packages as runtime dependencies`, () => {
      const manifest = JSON.parse(readFileSync(join(ROOT, pkg, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      const ours = Object.keys(manifest.dependencies ?? {})
        .map(ourPackage)
        .filter((target) => target !== undefined);
      expect(ours.filter((target) => !allowed.includes(target))).toEqual([]);
    });
  }

  it('the emulator takes from the gateway only its exported wire formats and the error factory', () => {
    const EMULATOR_MAY_TAKE = ['@airsuite/airtable-gateway/wire', '@airsuite/airtable-gateway/coded-error'];
    const offending = sourceFiles(join(ROOT, 'airtable-emulator'))
      .flatMap((file) => specifiers(file).map((specifier) => ({ file, specifier })))
      .filter(({ specifier }) => ourPackage(specifier) === 'airtable-gateway')
      .filter(({ specifier }) => !EMULATOR_MAY_TAKE.includes(specifier))
      .map(({ file, specifier }) => `${relative(ROOT, file)} → ${specifier}`);
    expect(offending).toEqual([]);
  });

  it("no file reaches into another package's internals", () => {
    const outside = (pkg: string, file: string, specifier: string) =>
      specifier.startsWith('.') && relative(join(ROOT, pkg), join(file, '..', specifier)).startsWith('..');
    const offending = PACKAGES.flatMap((pkg) =>
      sourceFiles(join(ROOT, pkg)).flatMap((file) =>
        specifiers(file)
          .filter(
            (specifier) => /^@airsuite\/[a-z-]+\/src\//.test(specifier) || outside(pkg, file, specifier),
          )
          .map((specifier) => `${relative(ROOT, file)} → ${specifier}`),
      ),
    );
    expect(offending).toEqual([]);
  });
});
