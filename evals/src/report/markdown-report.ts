import type { EvalReport } from '../run-evals.ts';
import { categoryScores, headline } from './categories.ts';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The run as Markdown: headline, the chart (by file name), categories, then every scenario and its problems. */
export function markdownReport(report: EvalReport, chartFile: string): string {
  const head = headline(report.runs);
  const lines = [
    `# Tool evals, ${report.mode}, ${report.at}`,
    '',
    `${report.passed} passed, ${report.failed} failed. End-state success ${Math.round(head.endStateSuccess * 100)}%, tool selection F1 ${head.toolSelectionF1.toFixed(2)}.`,
    '',
    `![Success and tokens per category](${chartFile})`,
    '',
    '| category | scenarios | passed | end state | mean F1 | mean tokens |',
    '|---|---|---|---|---|---|',
    ...categoryScores(report.runs).map(
      (c) =>
        `| ${c.tag} | ${c.scenarios} | ${c.passed} | ${c.endStateOk} | ${c.meanF1.toFixed(2)} | ${c.meanTokens} |`,
    ),
    '',
    '| scenario | result | F1 | arguments | steps | tokens in/out | wall ms | problems |',
    '|---|---|---|---|---|---|---|---|',
    ...report.runs.map(
      (run) =>
        `| ${run.id} | ${run.passed ? 'pass' : '**FAIL**'} | ${run.scores.selection.f1.toFixed(2)} | ${run.scores.argumentAccuracy.toFixed(2)} | ${run.steps} | ${run.tokens.input}/${run.tokens.output} | ${run.wallMs} | ${cell(run.problems.join('; '))} |`,
    ),
    '',
  ];
  for (const run of report.runs) {
    for (const [tool, diff] of Object.entries(run.driftDiff ?? {})) {
      lines.push(`### ${run.id}: ${tool} drifted`, '', '```diff', ...diff, '```', '');
    }
  }
  for (const check of report.catalogue ?? []) {
    lines.push(
      `- catalogue for ${check.role}s: ${check.tools} tools, ${check.tokens} tokens${check.problems.length ? `: ${check.problems.join('; ')}` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
