import { AirtableApiError } from './airtable-error.ts';

/**
 * The catalogue of Airtable errors the emulator sends, with Airtable's statuses, types
 * and messages (see shared/reference/airtable-web-api.md §2 "Error envelope").
 */
export const errors = {
  notFound: () => new AirtableApiError(404, 'NOT_FOUND', undefined, true),
  modelNotFound: () =>
    new AirtableApiError(
      403,
      'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
      'Invalid permissions, or the requested model was not found. Check that both your user and your token have the required permissions, and that the model names and/or ids are correct.',
    ),
  recordNotFound: () => new AirtableApiError(404, 'MODEL_ID_NOT_FOUND', 'Record not found'),
  authenticationRequired: () =>
    new AirtableApiError(401, 'AUTHENTICATION_REQUIRED', 'Authentication required'),
  invalidPermissions: (what = 'perform this operation') =>
    new AirtableApiError(403, 'INVALID_PERMISSIONS', `You are not permitted to ${what}`),
  invalidRequest: (message = 'Invalid request: parameter validation failed. Check your request data.') =>
    new AirtableApiError(422, 'INVALID_REQUEST_UNKNOWN', message),
  invalidJson: () =>
    new AirtableApiError(400, 'INVALID_REQUEST_BODY', 'Could not parse request body as JSON'),
  bodyTooLarge: (limit: number) =>
    new AirtableApiError(413, 'REQUEST_TOO_LARGE', `Request body exceeds the maximum size of ${limit} bytes`),
  urlTooLong: (limit: number) =>
    new AirtableApiError(
      414,
      'URL_TOO_LONG',
      `Request URL exceeds the ${limit}-character limit. Use POST .../listRecords to send list parameters in the body.`,
    ),
  missingFields: () =>
    new AirtableApiError(
      422,
      'INVALID_REQUEST_MISSING_FIELDS',
      'Could not find field "fields" in the request body',
    ),
  unknownField: (name: string) =>
    new AirtableApiError(422, 'UNKNOWN_FIELD_NAME', `Unknown field name: "${name}"`),
  invalidValue: (fieldName: string, reason?: string) =>
    new AirtableApiError(
      422,
      'INVALID_VALUE_FOR_COLUMN',
      reason === undefined
        ? `Field "${fieldName}" cannot accept the provided value`
        : `Field "${fieldName}" cannot accept the provided value: ${reason}`,
    ),
  computedField: (fieldName: string) =>
    new AirtableApiError(
      422,
      'INVALID_VALUE_FOR_COLUMN',
      `Field "${fieldName}" cannot accept a value because the field is computed`,
    ),
  invalidSelectOption: (option: string) =>
    new AirtableApiError(
      422,
      'INVALID_MULTIPLE_CHOICE_OPTIONS',
      `Insufficient permissions to create new select option ""${option}""`,
    ),
  tooManyRecords: (verb: string, count: number) =>
    new AirtableApiError(
      422,
      'INVALID_RECORDS',
      `A maximum of 10 records can be ${verb} per request but you have provided ${count}.`,
    ),
  invalidRecords: (
    message = 'You must provide an array of up to 10 record objects, each with an "id" ID field and a "fields" object for cell values.',
  ) => new AirtableApiError(422, 'INVALID_RECORDS', message),
  rowDoesNotExist: (recordId: string) =>
    new AirtableApiError(422, 'ROW_DOES_NOT_EXIST', `Record ID ${recordId} does not exist in this table`),
  invalidFormula: (reason: string) =>
    new AirtableApiError(
      422,
      'INVALID_FILTER_BY_FORMULA',
      `The formula for filtering records is invalid: ${reason}`,
    ),
  viewNotFound: (view: string) =>
    new AirtableApiError(
      422,
      'VIEW_NAME_NOT_FOUND',
      `Could not find view ${JSON.stringify(view)} in that table`,
    ),
  iteratorNotAvailable: () => new AirtableApiError(422, 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE'),
  invalidOffset: (offset: string) =>
    new AirtableApiError(422, 'INVALID_OFFSET_VALUE', `The value of offset ${offset} is invalid`),
  invalidSort: (reason: string) => new AirtableApiError(422, 'INVALID_SORT_PARAMETER', reason),
  invalidPageSize: (value: unknown) =>
    new AirtableApiError(
      422,
      'INVALID_PAGE_SIZE',
      `The pageSize ${JSON.stringify(value)} is invalid: it must be an integer from 1 to 100`,
    ),
  invalidMaxRecords: (value: unknown) =>
    new AirtableApiError(422, 'INVALID_MAX_RECORDS', `The maxRecords ${JSON.stringify(value)} is invalid`),
  duplicateName: (kind: string, name: string) =>
    new AirtableApiError(
      422,
      'DUPLICATE_OR_EMPTY_FIELD_NAME',
      `${kind} name "${name}" is already used or empty`,
    ),
  unsupportedFieldTypeForCreate: (type: string) =>
    new AirtableApiError(
      422,
      'UNSUPPORTED_FIELD_TYPE_FOR_CREATE',
      `Creating ${type} fields is not supported at this time`,
    ),
  invalidFieldType: (reason: string) => new AirtableApiError(422, 'INVALID_FIELD_TYPE', reason),
  invalidFieldOptions: (reason: string) =>
    new AirtableApiError(422, 'INVALID_FIELD_TYPE_OPTIONS_FOR_CREATE', reason),
  upsertMultipleMatches: (count: number) =>
    new AirtableApiError(
      422,
      'INVALID_RECORDS',
      `Cannot update more than one record with the same fieldsToMergeOn values (${count} records matched)`,
    ),
  notAttachmentField: (fieldName: string) =>
    new AirtableApiError(
      422,
      'INVALID_VALUE_FOR_COLUMN',
      `Field "${fieldName}" cannot accept an uploaded file: it is not an attachment field`,
    ),
  uploadTooLarge: (size: number, limit: number) =>
    new AirtableApiError(
      413,
      'REQUEST_TOO_LARGE',
      `The file is ${size} bytes; an upload takes at most ${limit} bytes. Attach larger files by URL.`,
    ),
  /** Airtable does not document this answer; the type is the one Airtable's clients have seen. */
  tooManyWebhooks: (limit: number) =>
    new AirtableApiError(
      422,
      'TOO_MANY_WEBHOOKS_IN_BASE',
      `A base can have at most ${limit} webhooks. Delete one before creating another.`,
    ),
  webhookNotFound: () => new AirtableApiError(404, 'MODEL_ID_NOT_FOUND', 'Could not find webhook'),
  rateLimited: () =>
    new AirtableApiError(429, 'RATE_LIMIT_REACHED', 'Rate limit exceeded. Please try again later'),
  serverError: () =>
    new AirtableApiError(500, 'SERVER_ERROR', 'Server encountered an error while processing your request'),
  retriable: () =>
    new AirtableApiError(
      503,
      'RETRIABLE_ERROR',
      'Server encountered an error while processing your request, and it is safe to retry the request',
    ),
} as const;
