import { CliExit } from './cli-exit.ts';

/** A service that listens, and how the user moves it to another port in the running command. */
export interface PortOwner {
  /** As the start banner names it: `platform API`. */
  service: string;
  /** The command's flag for the port, when it has one: `--platform-port`. */
  flag?: string;
  /** The environment variable for the port: `PLATFORM_PORT`. */
  env: string;
}

/** The services' port settings; a command passes its own flag (`--port`, `--platform-port`…). */
export const PORT_OWNERS = {
  emulator: { service: 'Airtable emulator', env: 'EMULATOR_PORT' },
  gateway: { service: 'Airtable gateway', env: 'GATEWAY_PORT' },
  platform: { service: 'platform API', env: 'PLATFORM_PORT' },
  mcp: { service: 'MCP server', env: 'MCP_PORT' },
  chat: { service: 'chat', env: 'ORCHESTRATOR_PORT' },
} as const satisfies Record<string, PortOwner>;

/** A port a service needs is taken. Exit code 2: the user's setting (or another process) is the cause. */
export class PortInUseError extends CliExit {
  constructor(
    readonly port: number | undefined,
    readonly owner: PortOwner,
  ) {
    const moveWith = owner.flag ? `${owner.flag} or ${owner.env}` : owner.env;
    super(
      `${port === undefined ? 'the port' : `port ${port}`} (${owner.service}) is already in use: pick another with ${moveWith}, or stop the other process`,
      2,
      'CLI_PORT_IN_USE',
    );
  }
}

export function isAddressInUse(error: unknown): error is NodeJS.ErrnoException & { port?: number } {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

/** Runs `listen`, turning a taken port into a {@link PortInUseError} that names it, the service and its setting. */
export async function listenAs<T>(owner: PortOwner, listen: () => Promise<T>): Promise<T> {
  try {
    return await listen();
  } catch (error) {
    if (isAddressInUse(error)) throw new PortInUseError(error.port, owner);
    throw error;
  }
}
