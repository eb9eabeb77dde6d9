/** A refused or failed request: the problem's `code` (or HTTP_<status>, NETWORK, STREAM_LOST) and detail. */
export class ApiError extends Error {
  /**
   * @param {number} status 0 when the server was not reached
   * @param {string} code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}
