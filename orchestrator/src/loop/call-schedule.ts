import type { Tool } from '@modelcontextprotocol/sdk/types.js';

export interface ScheduledCall {
  callId: string;
  name: string;
  args: Record<string, unknown>;
}

/**
 * Groups a model turn's calls into lanes that may run at the same time: every read gets
 * a lane of its own, while writes to one table share a lane and keep the model's order
 * (two updates of the same records must not race).
 */
export function lanesOf(
  calls: readonly ScheduledCall[],
  tools: ReadonlyMap<string, Tool>,
): ScheduledCall[][] {
  const lanes: ScheduledCall[][] = [];
  const byTable = new Map<string, ScheduledCall[]>();
  for (const call of calls) {
    const readOnly = tools.get(call.name)?.annotations?.readOnlyHint === true;
    if (readOnly) {
      lanes.push([call]);
      continue;
    }
    const base = typeof call.args.base_id === 'string' ? call.args.base_id : '';
    const table = typeof call.args.table === 'string' ? call.args.table : '';
    const key = `${base}\u0000${table}`;
    let lane = byTable.get(key);
    if (!lane) {
      lane = [];
      byTable.set(key, lane);
      lanes.push(lane);
    }
    lane.push(call);
  }
  return lanes;
}
