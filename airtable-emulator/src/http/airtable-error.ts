/**
 * An error the emulator answers with, in Airtable's exact wire shape. Every failure a
 * caller can cause becomes one of these; anything else is an emulator bug and is
 * answered as Airtable's 500.
 */
export class AirtableApiError extends Error {
  override readonly name = 'AirtableApiError';

  constructor(
    readonly status: number,
    readonly type: string,
    message?: string,
    /** Airtable answers some 404s with a bare string: `{"error":"NOT_FOUND"}`. */
    readonly bare = false,
  ) {
    super(message ?? type);
    this.detail = message;
  }

  readonly detail: string | undefined;

  toBody(): unknown {
    if (this.bare) return { error: this.type };
    return {
      error: this.detail === undefined ? { type: this.type } : { type: this.type, message: this.detail },
    };
  }
}
