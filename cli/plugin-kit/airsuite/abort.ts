import { Host, LogLevel } from "@extism/as-pdk";

/**
 * AssemblyScript's abort (a failed assertion, `throw`, an index out of range), named by
 * `airsuite plugin build` with `--use abort=…` so the module imports no `env.abort`, which no
 * Extism host provides. The call then traps; its message and place go to the plugin's logs,
 * since a trap carries no message of its own.
 */
export function pluginAbort(
  message: string | null,
  fileName: string | null,
  line: u32,
  column: u32,
): void {
  const what = message != null ? message : "abort";
  const where = fileName != null ? fileName : "?";
  Host.log(LogLevel.Error, what + " (" + where + ":" + line.toString() + ":" + column.toString() + ")");
}
