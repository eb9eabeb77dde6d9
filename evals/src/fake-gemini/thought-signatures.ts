import { createHash } from 'node:crypto';
import { type GoogleRpcError, invalidArgument, isRecord, type WireFunctionCall } from './wire.ts';

/** JSON with object keys sorted, so a call hashes the same whatever order its args come back in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => value[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

function callKey(call: WireFunctionCall): string {
  const identity = { name: call.name, args: call.args ?? {}, id: call.id };
  return createHash('sha256').update(canonicalJson(identity)).digest('hex');
}

/**
 * The thought signatures the fake issued, keyed by a hash of the functionCall they came with.
 * Gemini rejects a history whose function calls lost their signature; the fake does the same for
 * every call it signed (real Gemini 3 only checks the current turn: the fake is stricter).
 */
export class SignatureLedger {
  /** A call can recur (the model retries it): each occurrence has its own signature. */
  private readonly issued = new Map<string, Set<string>>();
  private counter = 0;

  /** Records (and, when none is given, mints) the signature sent with `call`. */
  issue(call: WireFunctionCall, signature?: string): string {
    this.counter += 1;
    const key = callKey(call);
    const value =
      signature ?? Buffer.from(`fake-gemini-thought-${this.counter}-${key.slice(0, 12)}`).toString('base64');
    const signatures = this.issued.get(key) ?? new Set<string>();
    signatures.add(value);
    this.issued.set(key, signatures);
    return value;
  }

  /**
   * Checks one model content of a request. Every call the fake signed must carry its signature
   * verbatim (when the same call repeats within the content, one of the copies must); a signature
   * the fake never issued for that call is "corrupted". Calls the fake never signed pass.
   */
  check(parts: unknown[], contentIndex: number): GoogleRpcError | undefined {
    const signedKeys = new Set<string>();
    const unsigned: { key: string; name: string; position: number }[] = [];
    for (const [position, part] of parts.entries()) {
      if (!isRecord(part) || !isRecord(part.functionCall)) continue;
      const call = part.functionCall as unknown as WireFunctionCall;
      const key = callKey(call);
      const expected = this.issued.get(key);
      if (expected === undefined) continue;
      if (part.thoughtSignature === undefined) {
        unsigned.push({ key, name: call.name, position: position + 1 });
      } else if (typeof part.thoughtSignature === 'string' && expected.has(part.thoughtSignature)) {
        signedKeys.add(key);
      } else {
        return invalidArgument(
          `Corrupted thought signature at 'contents[${contentIndex}].parts[${position}].thought_signature'.`,
        );
      }
    }
    const missing = unsigned.find((entry) => !signedKeys.has(entry.key));
    if (!missing) return undefined;
    return invalidArgument(
      'Function call is missing a thought_signature in functionCall parts. This is required for tools to work ' +
        'correctly, and missing thought_signature may lead to degraded model performance. Additional data, ' +
        `function call \`default_api:${missing.name}\` , position ${missing.position}. Please refer to ` +
        'https://ai.google.dev/gemini-api/docs/thought-signatures for more details.',
    );
  }
}
