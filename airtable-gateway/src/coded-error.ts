/**
 * The one shape of AirSuite's errors, after Fastify's `createError`: each family of coded
 * errors is a class made here, with its `name`, a `code` from the family's own union of stable
 * codes (never reused; specs assert them), a message for people and an optional `cause`. A
 * family adds its typed fields (`status`, `details`, `exitCode`) in its own constructor:
 *
 *     export class ToolError extends codedError<ToolErrorCode>('ToolError') {
 *       constructor(code: ToolErrorCode, message: string, readonly details?: Details) {
 *         super(code, message);
 *       }
 *     }
 *
 * Each instance carries `Symbol.for('airsuite.error.<name>')`, so `ToolError.isInstance(value)`
 * also holds for an error made by another copy of the package, where `instanceof` does not
 * (the AI SDK's `AISDKError.isInstance`).
 *
 * It lives in the gateway, the bottom room, so every package makes its errors with this one
 * factory and there are no copies: the gateway imports it relatively, the emulator, tools, the
 * platform, the MCP server and the command line as `@airsuite/airtable-gateway/coded-error`, and
 * the orchestrator (whose map allows only the platform) through the platform's re-export. The
 * module imports nothing, so the stdio relay and the command line's lazy start paths, which
 * must load nothing heavy before a command runs, can take it too.
 */
export function codedError<Code extends string>(name: string) {
  const brand = Symbol.for(`airsuite.error.${name}`);

  class CodedError extends Error {
    override readonly name: string = name;

    constructor(
      readonly code: Code,
      message: string,
      options?: ErrorOptions,
    ) {
      super(message, options);
    }

    /**
     * `value instanceof this`; on the family's own class (named `name`) also an error of the
     * family from another copy of the package. A subclass named otherwise is checked by
     * `instanceof` alone, so the answer never claims more than it knows.
     */
    static isInstance<T extends abstract new (...args: never) => Error>(
      this: T,
      value: unknown,
    ): value is InstanceType<T> {
      const branded = typeof value === 'object' && value !== null && brand in value;
      // biome-ignore lint/complexity/noThisInStatic: the class asked, so ToolError.isInstance narrows to ToolError
      return value instanceof this || (this.name === name && branded);
    }
  }

  Object.defineProperty(CodedError.prototype, brand, { value: true });
  return CodedError;
}
