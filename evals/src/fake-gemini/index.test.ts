import { describe, expect, it } from 'vitest';
import * as fakeGemini from './index.ts';

describe('@airsuite/evals/fake-gemini', () => {
  it('exports exactly its public API', () => {
    expect(Object.keys(fakeGemini).sort()).toEqual([
      'estimatePromptTokens',
      'lastFunctionResponses',
      'startFakeGemini',
    ]);
  });
});
