import { Config } from "@extism/as-pdk";

/**
 * A setting of the plugin's installation in the workspace (`config` when installing), or
 * null when the workspace did not set it.
 */
export function config(key: string): string | null {
  return Config.get(key);
}
