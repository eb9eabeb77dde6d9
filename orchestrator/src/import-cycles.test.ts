import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * No import cycle inside orchestrator/src: a module never needs itself, through any chain of
 * imports, type-only ones included (a cycle of types is a knot in the design all the same).
 * Relative imports only; other packages are other rooms.
 */
const SRC = fileURLToPath(new URL('./', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** The files under orchestrator/src that `file` imports (static, dynamic and `export … from`). */
function importsOf(file: string, known: Set<string>): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/\bfrom\s+'(\.[^']+)'|\bimport\s*\(?\s*'(\.[^']+)'/g)]
    .map((match) => resolve(dirname(file), (match[1] ?? match[2]) as string))
    .filter((target) => known.has(target));
}

/** Every cycle, each once, as the list of files from its first file back to it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') {
        const loop = path.slice(path.indexOf(next));
        // The same cycle met from another file is one cycle: key it by its smallest rotation.
        const start = loop.indexOf([...loop].sort()[0] as string);
        const rotated = [...loop.slice(start), ...loop.slice(0, start)];
        found.set(rotated.join(' → '), rotated);
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return [...found.values()];
}

describe('orchestrator/src imports', () => {
  it('have no cycles', () => {
    const files = sourceFiles(SRC);
    const known = new Set(files);
    const graph = new Map(files.map((file) => [file, importsOf(file, known)]));
    const shown = cycles(graph).map((loop) =>
      [...loop, loop[0]].map((f) => relative(SRC, f as string)).join(' → '),
    );
    expect(shown).toEqual([]);
  });

  it('are all seen by the walk (it would miss a cycle through a file it cannot read)', () => {
    const files = sourceFiles(SRC);
    const known = new Set(files);
    const unresolved = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bfrom\s+'(\.[^']+\.ts)'/g)]
        .map((match) => resolve(dirname(file), match[1] as string))
        .filter((target) => !known.has(target) && !target.endsWith('.test.ts'))
        .map((target) => `${relative(SRC, file)} → ${relative(SRC, target)}`),
    );
    expect(unresolved).toEqual([]);
  });
});
