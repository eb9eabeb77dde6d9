import { defineConfig } from 'vitest/config';

/**
 * Two projects: the unit specs run in parallel; the acceptance specs measure real rates
 * against Airtable's limits, so they run one file at a time, after the rest, where other
 * tests cannot steal the CPU they time.
 */
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['*/src/**/*.test.ts'],
          exclude: [
            '**/node_modules/**',
            'airtable-gateway/src/acceptance/**',
            'mcp-server/src/acceptance/**',
            'cli/src/acceptance/**',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'acceptance',
          include: [
            'airtable-gateway/src/acceptance/**/*.test.ts',
            'mcp-server/src/acceptance/**/*.test.ts',
            'cli/src/acceptance/**/*.test.ts',
          ],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
