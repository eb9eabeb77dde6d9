import { codedError } from '@airsuite/airtable-gateway/coded-error';

/**
 * An error the emulator answers with, in Airtable's exact wire shape. Every failure a
 * caller can cause becomes one of these; anything else is an emulator bug and is
 * answered as Airtable's 500.
 *
 * Its `code` is Airtable's error type (`NOT_FOUND`, `INVALID_REQUEST_UNKNOWN`, or the
 * emulator's own `EMULATOR_*`): Airtable's set, open-ended, so a string; `type` says the same.
 */
export class AirtableApiError extends codedError<string>('AirtableApiError') {
  readonly detail: string | undefined;

  constructor(
    readonly status: number,
    type: string,
    message?: string,
    /** Airtable answers some 404s with a bare string: `{"error":"NOT_FOUND"}`. */
    readonly bare = false,
  ) {
    super(type, message ?? type);
    this.detail = message;
  }

  /** Airtable's error type, as the wire's `error.type` carries it: the code. */
  get type(): string {
    return this.code;
  }

  toBody(): unknown {
    if (this.bare) return { error: this.type };
    return {
      error: this.detail === undefined ? { type: this.type } : { type: this.type, message: this.detail },
    };
  }
}
