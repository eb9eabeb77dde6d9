import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiRecord,
  bearer,
  expectBareNotFound,
  expectError,
  json,
  OWNER_USER,
  SALES_CRM_BASE_ID,
  send,
} from './http-test-helpers.ts';
import { startTestEmulator, type TestEmulator } from './test-support.ts';

// Record comments: newest first, paged; authors are token owners; only the author may
// change or delete a comment.

const B = SALES_CRM_BASE_ID;

interface Comment {
  id: string;
  author: { id: string; email: string; name?: string };
  text: string;
  createdTime: string;
  lastUpdatedTime: string | null;
  parentCommentId?: string;
  mentioned?: Record<string, { type: string; id: string; displayName: string; email: string }>;
}
interface CommentPage {
  comments: Comment[];
  offset: string | null;
}

let t: TestEmulator;
let clock: number;
let graceToken: string;
let graceId: string;
let recordId: string;
let comments: string;

beforeAll(async () => {
  clock = Date.parse('2026-03-01T10:00:00.000Z');
  t = await startTestEmulator({ now: () => new Date(clock) });
});
afterAll(() => t.close());

beforeEach(async () => {
  await json(await t.admin('/reset', { body: { seed: 'sample' } }));
  const users = (await json<{ users: { id: string; email: string }[] }>(await t.admin('/export'))).users;
  graceId = users.find((u) => u.email === 'grace@example.com')?.id as string;
  graceToken = (await json<{ token: string }>(await t.admin('/tokens', { body: { userId: graceId } }))).token;
  // A deal without comments in the sample, so every comment below is ours.
  const { records } = await json<{ records: ApiRecord[] }>(
    await t.api(`/v0/${B}/Deals?recordMetadata[]=commentCount`),
  );
  recordId = records.find((r) => r.commentCount === 0)?.id as string;
  comments = `/v0/${B}/Deals/${recordId}/comments`;
});

async function post(text: string, token?: string): Promise<Comment> {
  clock += 60_000;
  return json<Comment>(await t.api(comments, { ...send('POST', { text }), ...(token ? bearer(token) : {}) }));
}

describe('creating', () => {
  it('records the token owner as author, with Airtable’s comment shape', async () => {
    const comment = await post('Sent the proposal.');
    expect(comment).toEqual({
      id: expect.stringMatching(/^com[A-Za-z0-9]{14}$/),
      author: { id: OWNER_USER.id, email: OWNER_USER.email, name: OWNER_USER.name },
      text: 'Sent the proposal.',
      createdTime: new Date(clock).toISOString(),
      lastUpdatedTime: null,
    });
    expect((await post('Mine too.', graceToken)).author).toMatchObject({
      id: graceId,
      email: 'grace@example.com',
    });
  });

  it('turns @[usr…] mentions of known users into `mentioned`', async () => {
    const comment = await post(`@[${graceId}] can you review? cc @[usrAAAAAAAAAAAAAA]`);
    expect(comment.mentioned).toEqual({
      [graceId]: { type: 'user', id: graceId, displayName: 'Grace Hopper', email: 'grace@example.com' },
    });
    expect((await post('No mentions here.')).mentioned).toBeUndefined();
  });

  it('accepts replies to a comment of the same record only', async () => {
    const parent = await post('Question?');
    const reply = await json<Comment>(
      await t.api(comments, send('POST', { text: 'Answer.', parentCommentId: parent.id })),
    );
    expect(reply.parentCommentId).toBe(parent.id);
    await expectError(
      await t.api(comments, send('POST', { text: 'Orphan', parentCommentId: 'comAAAAAAAAAAAAAA' })),
      422,
      'INVALID_REQUEST_UNKNOWN',
    );
  });

  it.each([
    ['no text', {}],
    ['empty text', { text: '   ' }],
    ['text that is not a string', { text: 42 }],
    ['text over 100,000 characters', { text: 'x'.repeat(100_001) }],
  ])('refuses %s with 422', async (_label, body) => {
    await expectError(await t.api(comments, send('POST', body)), 422, 'INVALID_REQUEST_UNKNOWN');
    expect((await json<CommentPage>(await t.api(comments))).comments).toEqual([]);
  });
});

describe('listing', () => {
  it('lists newest first', async () => {
    const [first, second, third] = [await post('one'), await post('two'), await post('three')];
    const page = await json<CommentPage>(await t.api(comments));
    expect(page.comments.map((c) => c.id)).toEqual([third?.id, second?.id, first?.id]);
    expect(page.offset).toBeNull();
  });

  it('pages with pageSize and offset until offset is null', async () => {
    const texts = ['a', 'b', 'c', 'd', 'e'];
    for (const text of texts) await post(text);
    const seen: string[] = [];
    let offset: string | null = null;
    let pages = 0;
    do {
      const query: string = `?pageSize=2${offset ? `&offset=${encodeURIComponent(offset)}` : ''}`;
      const page: CommentPage = await json<CommentPage>(await t.api(comments + query));
      expect(page.comments.length).toBeLessThanOrEqual(2);
      seen.push(...page.comments.map((c) => c.text));
      offset = page.offset;
      pages++;
    } while (offset !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual([...texts].reverse());
  });

  it('refuses a bad pageSize or offset', async () => {
    await expectError(await t.api(`${comments}?pageSize=101`), 422, 'INVALID_PAGE_SIZE');
    await expectError(await t.api(`${comments}?pageSize=0`), 422, 'INVALID_PAGE_SIZE');
    await expectError(await t.api(`${comments}?offset=comAAAAAAAAAAAAAA`), 422, 'INVALID_OFFSET_VALUE');
  });

  it('recordMetadata[]=commentCount counts a record’s comments', async () => {
    await post('one');
    await post('two', graceToken);
    const { records } = await json<{ records: ApiRecord[] }>(
      await t.api(`/v0/${B}/Deals?recordMetadata[]=commentCount`),
    );
    expect(records.find((r) => r.id === recordId)?.commentCount).toBe(2);
    const plain = await json<{ records: ApiRecord[] }>(await t.api(`/v0/${B}/Deals?pageSize=1`));
    expect(plain.records[0]).not.toHaveProperty('commentCount');
    const viaPost = await json<{ records: ApiRecord[] }>(
      await t.api(`/v0/${B}/Deals/listRecords`, send('POST', { recordMetadata: ['commentCount'] })),
    );
    expect(viaPost.records.find((r) => r.id === recordId)?.commentCount).toBe(2);
  });
});

describe('updating and deleting', () => {
  it('the author may edit a comment; lastUpdatedTime is set', async () => {
    const comment = await post('Draft');
    clock += 5_000;
    const edited = await json<Comment>(
      await t.api(`${comments}/${comment.id}`, send('PATCH', { text: 'Final' })),
    );
    expect(edited).toEqual({ ...comment, text: 'Final', lastUpdatedTime: new Date(clock).toISOString() });
    expect((await json<CommentPage>(await t.api(comments))).comments).toEqual([edited]);
  });

  it("refuses to edit or delete another user's comment with 403 INVALID_PERMISSIONS", async () => {
    const comment = await post('Grace wrote this', graceToken);
    await expectError(
      await t.api(`${comments}/${comment.id}`, send('PATCH', { text: 'Hijacked' })),
      403,
      'INVALID_PERMISSIONS',
    );
    await expectError(
      await t.api(`${comments}/${comment.id}`, { method: 'DELETE' }),
      403,
      'INVALID_PERMISSIONS',
    );
    expect((await json<CommentPage>(await t.api(comments))).comments).toEqual([comment]);
  });

  it('the author may delete a comment', async () => {
    const keep = await post('keep');
    const drop = await post('drop');
    expect(await json(await t.api(`${comments}/${drop.id}`, { method: 'DELETE' }))).toEqual({
      id: drop.id,
      deleted: true,
    });
    expect((await json<CommentPage>(await t.api(comments))).comments).toEqual([keep]);
    await expectBareNotFound(await t.api(`${comments}/${drop.id}`, { method: 'DELETE' }));
  });

  it('an unknown comment is the bare NOT_FOUND', async () => {
    await expectBareNotFound(await t.api(`${comments}/comAAAAAAAAAAAAAA`, send('PATCH', { text: 'x' })));
  });
});

describe('addressing', () => {
  it('an unknown record is 404 for list and create', async () => {
    const missing = `/v0/${B}/Deals/recAAAAAAAAAAAAAA/comments`;
    await expectError(await t.api(missing), 404, 'MODEL_ID_NOT_FOUND');
    await expectError(await t.api(missing, send('POST', { text: 'x' })), 404, 'MODEL_ID_NOT_FOUND');
  });

  it('a record of another table is unknown too', async () => {
    await expectError(await t.api(`/v0/${B}/Companies/${recordId}/comments`), 404, 'MODEL_ID_NOT_FOUND');
  });

  it('deleting the record removes its comments', async () => {
    await post('gone soon');
    await json(await t.api(`/v0/${B}/Deals/${recordId}`, { method: 'DELETE' }));
    await expectError(await t.api(comments), 404, 'MODEL_ID_NOT_FOUND');
  });
});
