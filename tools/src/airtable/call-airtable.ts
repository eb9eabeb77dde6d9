import { GatewayError } from '@airsuite/airtable-gateway';
import { ToolError } from '../core/tool-error.ts';

/**
 * Runs a gateway call and turns its failures into messages a model can act on: a rate
 * limit becomes "queued and waited", never "429"; Airtable's refusals keep their type.
 */
export async function callAirtable<T>(run: () => Promise<T>, where: { baseId?: string } = {}): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toToolError(error, where);
  }
}

export function toToolError(error: unknown, where: { baseId?: string } = {}): ToolError {
  if (error instanceof ToolError) return error;
  if (!(error instanceof GatewayError)) {
    return new ToolError(
      'TOOL_UNAVAILABLE',
      'The Airtable service failed unexpectedly. Try again in a moment.',
    );
  }
  switch (error.code) {
    case 'GATEWAY_QUEUE_FULL':
    case 'GATEWAY_QUEUE_TIMEOUT':
    case 'AIRTABLE_RATE_LIMITED': {
      const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 30_000) / 1000));
      return new ToolError(
        'TOOL_RATE_LIMITED',
        `The request was queued behind other work on this base and waited as long as allowed. Try again in about ${seconds} s, or ask for fewer records at once.`,
        { retryAfterSeconds: seconds },
      );
    }
    case 'AIRTABLE_BILLING_LIMIT':
      return new ToolError(
        'TOOL_UNAVAILABLE',
        "The Airtable workspace has used up its plan's monthly API calls; waiting will not help.",
      );
    case 'GATEWAY_ABORTED':
      return new ToolError('TOOL_CANCELLED', 'The call was cancelled.');
    case 'GATEWAY_INVALID_REQUEST':
      return new ToolError('TOOL_INVALID_INPUT', `${error.message}. Check the ids and names you sent.`);
    case 'AIRTABLE_ERROR': {
      if (error.upstreamStatus === 404 && where.baseId) {
        return new ToolError(
          'TOOL_UNKNOWN_BASE',
          `Base ${where.baseId} was not found. Use list_bases to see the bases you can use.`,
        );
      }
      if (error.upstreamStatus === 403) {
        return new ToolError(
          'TOOL_NOT_ALLOWED',
          'Airtable refused access: the base or table does not exist, or the token may not use it.',
        );
      }
      return new ToolError(
        'TOOL_AIRTABLE_ERROR',
        `Airtable refused the request (${error.airtableType ?? error.upstreamStatus}): ${error.message}`,
        {
          airtableType: error.airtableType,
          status: error.upstreamStatus,
        },
      );
    }
    default:
      return new ToolError(
        'TOOL_UNAVAILABLE',
        `Airtable could not be reached (${error.code}). Try again in a moment.`,
      );
  }
}
