/**
 * Ends a command with a message for stderr and a chosen exit code (for example
 * `airsuite chat --message` stopping at an approval: 3). main() prints the message plainly.
 */
export class CliExit extends Error {
  override readonly name = 'CliExit';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
