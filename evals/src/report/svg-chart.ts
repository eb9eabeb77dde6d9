import type { CategoryScore } from './categories.ts';

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Success and tokens per category as horizontal bars, self-contained SVG (no script, no
 * external font), so the Markdown report shows it wherever it is read.
 */
export function categoryChart(categories: readonly CategoryScore[]): string {
  const row = 26;
  const labelWidth = 150;
  const barWidth = 260;
  const height = 40 + row * categories.length;
  const maxTokens = Math.max(1, ...categories.map((c) => c.meanTokens));
  const bars = categories.map((c, i) => {
    const y = 30 + i * row;
    const success = c.passed / c.scenarios;
    const tokens = c.meanTokens / maxTokens;
    return [
      `<text x="${labelWidth - 8}" y="${y + 12}" text-anchor="end">${escapeXml(c.tag)} (${c.scenarios})</text>`,
      `<rect x="${labelWidth}" y="${y}" width="${Math.round(barWidth * success)}" height="9" fill="#2e7d32"><title>${Math.round(success * 100)}% passed</title></rect>`,
      `<rect x="${labelWidth}" y="${y + 10}" width="${Math.round(barWidth * tokens)}" height="7" fill="#1565c0"><title>${c.meanTokens} tokens per scenario</title></rect>`,
      `<text x="${labelWidth + barWidth + 8}" y="${y + 12}">${Math.round(success * 100)}% · ${c.meanTokens} tok</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${labelWidth + barWidth + 140}" height="${height}" font-family="sans-serif" font-size="12" role="img" aria-label="Success and tokens per category">`,
    '<text x="8" y="16" font-weight="bold">Success (green) and mean tokens (blue) per category</text>',
    ...bars,
    '</svg>',
  ].join('\n');
}
