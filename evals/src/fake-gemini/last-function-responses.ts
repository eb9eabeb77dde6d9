import type { RecordedRequest } from './script.ts';
import type { WireFunctionResponse } from './wire.ts';

/**
 * The functionResponse parts of a request's last content: what the client answered to the
 * model's latest calls, for a {@link Responder} to react to. Empty when the last content holds none.
 */
export function lastFunctionResponses(request: RecordedRequest): WireFunctionResponse[] {
  const last = request.body.contents?.at(-1);
  return (last?.parts ?? []).flatMap((part) => (part.functionResponse ? [part.functionResponse] : []));
}
