import { rmSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAirtableId } from './ids.ts';

/** An uploaded file: its bytes and the content type it was uploaded with. */
export interface StoredFile {
  type: string;
  bytes: Buffer;
}

/**
 * The bytes of uploaded attachments, by attachment id, kept apart from the bases: a cell holds
 * only the attachment's id, URL, name, size and type, so the state file stays small.
 */
export interface FileStore {
  /** Durable once it resolves (with a directory): the upload is answered only after it. */
  put(attachmentId: string, file: StoredFile): Promise<void>;
  /** Undefined for an unknown id, or anything that is not an attachment id. */
  get(attachmentId: string): Promise<StoredFile | undefined>;
  /** Forgets every file (an admin reset). Synchronous, so no upload that follows can race it. */
  clear(): void;
}

export function memoryFileStore(): FileStore {
  const files = new Map<string, StoredFile>();
  return {
    async put(id, file) {
      files.set(id, file);
    },
    async get(id) {
      return files.get(id);
    },
    clear: () => files.clear(),
  };
}

/**
 * One file per upload in `dir` (beside the emulator's state file), with its content type in a
 * small `.json` beside it. Ids are checked before they become paths, since the serving route
 * takes them from a URL.
 */
export function directoryFileStore(dir: string): FileStore {
  const paths = (id: string) => ({ bytes: join(dir, id), meta: join(dir, `${id}.json`) });
  return {
    async put(id, file) {
      if (!isAirtableId(id, 'att')) throw new Error(`not an attachment id: ${id}`);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const { bytes, meta } = paths(id);
      // The type first and the bytes last, each written whole (temp file, then rename): a file
      // whose bytes are present is complete.
      await writeFile(`${meta}.tmp`, JSON.stringify({ type: file.type }), { mode: 0o600 });
      await rename(`${meta}.tmp`, meta);
      await writeFile(`${bytes}.tmp`, file.bytes, { mode: 0o600 });
      await rename(`${bytes}.tmp`, bytes);
    },
    async get(id) {
      if (!isAirtableId(id, 'att')) return undefined;
      const { bytes, meta } = paths(id);
      try {
        const data = await readFile(bytes);
        const { type } = JSON.parse(await readFile(meta, 'utf8')) as { type: string };
        return { type, bytes: data };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    clear: () => rmSync(dir, { recursive: true, force: true }),
  };
}
