// Airtable's wire formats, exported for the emulator so both sides of the wire read and write
// one query-string format and one upload limit (ARCHITECTURE.md: the emulator may import these).
export { formatQuery, parseQuery, type QueryValue } from './query.ts';
export { base64Size, decodeBase64, MAX_UPLOAD_BYTES } from './upload-file.ts';
