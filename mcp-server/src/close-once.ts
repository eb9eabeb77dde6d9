/**
 * A close function that runs `shutDown` once, however often it is called and from wherever,
 * including from inside `shutDown` itself. That case is the usual one: closing an MCP server
 * closes its transport, whose `onclose` calls close again before the first call has returned.
 * Every call gets the same promise.
 */
export function closeOnce(shutDown: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    // Started a microtask later, so `closing` is set before `shutDown` can call back in.
    closing ??= Promise.resolve().then(shutDown);
    return closing;
  };
}
