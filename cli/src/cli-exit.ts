import { codedError } from '@airsuite/airtable-gateway/coded-error';

/**
 * - CLI_EXIT: a command ends early with an exit code of its own (`airsuite chat --message`
 *   stopping at an approval: 3); the message says why.
 * - CLI_PORT_IN_USE: a port a service needs is taken (PortInUseError, exit code 2).
 */
export type CliExitCode = 'CLI_EXIT' | 'CLI_PORT_IN_USE';

/**
 * Ends a command with a message for stderr and a chosen exit code (for example
 * `airsuite chat --message` stopping at an approval: 3). main() prints the message plainly.
 */
export class CliExit extends codedError<CliExitCode>('CliExit') {
  constructor(
    message: string,
    readonly exitCode: number,
    code: CliExitCode = 'CLI_EXIT',
  ) {
    super(code, message);
  }
}
