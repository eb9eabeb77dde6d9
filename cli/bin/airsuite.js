#!/usr/bin/env node
// The `airsuite` command. Installed from the package, it runs the compiled bundle (dist/, made
// by `npm run build`, which `npm pack` runs). In a checkout, where src/ sits beside bin/, it runs
// the TypeScript sources through tsx, so `npx airsuite` works right after `npm install` with no
// build step to remember, and never runs a stale bundle.
import { existsSync } from 'node:fs';

const source = new URL('../src/airsuite.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/airsuite.js');
}
