/**
 * queue-engines: the two ways the issue allows to make webhook delivery durable, measured side
 * by side: pg-boss 10 (a Postgres job engine) and our own `FOR UPDATE SKIP LOCKED` outbox over a
 * table shaped like webhook_messages. Each enqueues N jobs in one statement, then 1 and 2 workers
 * (each with its own connection pool) claim batches of 50 and complete each batch in one
 * statement. Both run on the PostgreSQL of DATABASE_URL (in a schema of their own, dropped at the
 * end) and on an in-memory PGlite, the embedded default.
 *
 * Round trips are executeSql calls (one request/response exchange each); lag is the database's
 * completed - created per job, so with the whole backlog enqueued first it is mostly queue wait.
 * pg-boss runs with supervise and schedule off (no maintenance timers inside a 1 s drain).
 *
 * Does pg-boss run on PGlite? (pg-boss 10.4.2, @electric-sql/pglite 0.5.16, tried 2026-12)
 * - In process, yes: pg-boss's `db` option takes any `executeSql(text, values)`; PGlite.query
 *   for statements with parameters, PGlite.exec for its parameterless multi-statement scripts
 *   (install, migrations, advisory-locked maintenance). Measured below as `pglite.pgBoss`.
 * - Through @electric-sql/pglite-socket, no: each release pins its peer exactly (0.2.17 →
 *   pglite 0.5.14, 0.2.16 → 0.5.13), none takes our 0.5.16, and `npm install` fails with
 *   ERESOLVE `Could not resolve dependency: peer @electric-sql/pglite@"0.5.14" from
 *   @electric-sql/pglite-socket@0.2.17`. Forced (--legacy-peer-deps, scratch folder): with the
 *   server's default maxConnections 1 a second pg-boss instance's start() fails with
 *   `Connection terminated unexpectedly`, and a second concurrent query from one pool gets
 *   `read ECONNRESET`, which pg-boss's fetch() swallows and answers [] (the worker silently sees
 *   an empty queue). With maxConnections 20 two instances drained 2000 jobs, none twice, but all
 *   connections share PGlite's one session, over a TCP loopback inside our own process.
 */
import { createRequire } from 'node:module';
import { createIsolatedSchema } from '@airsuite/platform-api';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { quantile } from './stats.ts';

const requireHere = createRequire(import.meta.url);
const JOBS = 5000;
const WARM_UP_JOBS = 500;
const BATCH = 50;
const WORKER_COUNTS = [1, 2] as const;
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

const PGLITE_FINDING =
  'pg-boss runs on PGlite in process through its `db` option: an executeSql adapter that sends ' +
  'statements with parameters to PGlite.query and its parameterless multi-statement scripts ' +
  '(install, migrations, maintenance) to PGlite.exec; this bench measures it (pglite.pgBoss). ' +
  'Through @electric-sql/pglite-socket it does not install: every release pins its peer exactly ' +
  '(0.2.17 wants @electric-sql/pglite 0.5.14, 0.2.16 wants 0.5.13) and none accepts our 0.5.16, so ' +
  'npm install fails with ERESOLVE "Could not resolve dependency: peer @electric-sql/pglite@"0.5.14" ' +
  'from @electric-sql/pglite-socket@0.2.17". Forced with --legacy-peer-deps in a scratch folder: with ' +
  "the server's default maxConnections 1, a second pg-boss instance fails start() with " +
  '"Connection terminated unexpectedly", and a second concurrent query of one instance\'s pool gets ' +
  '"read ECONNRESET", which pg-boss\'s fetch() swallows and answers [] (that worker silently sees an ' +
  'empty queue); with maxConnections 20, two instances drained 2000 jobs, none twice, but every ' +
  "connection is multiplexed onto PGlite's one session (SET, session advisory locks and LISTEN are " +
  'shared; a transaction blocks every other connection) over a TCP loopback inside our own process.';

/**
 * A connection pool (or PGlite) that counts its round trips: one executeSql is one exchange.
 * Without `values` the text may hold several statements (pg's simple protocol, PGlite.exec).
 */
interface CountedDb extends PgBoss.Db {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  trips: number;
  close(): Promise<void>;
}

function postgresDb(url: string): CountedDb {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const db: CountedDb = {
    trips: 0,
    async executeSql(text, values) {
      db.trips++;
      return pool.query(text, values);
    },
    close: () => pool.end(),
  };
  return db;
}

function pgliteDb(pglite: PGlite): CountedDb {
  const db: CountedDb = {
    trips: 0,
    async executeSql(text, values) {
      db.trips++;
      if (values === undefined) return (await pglite.exec(text)).at(-1) ?? { rows: [] };
      return pglite.query(text, values);
    },
    close: async () => {},
  };
  return db;
}

interface Claimed {
  id: string;
  attempts: number;
}

interface QueueWorker {
  db: CountedDb;
  claim(): Promise<Claimed[]>;
  complete(jobs: Claimed[]): Promise<void>;
  stop(): Promise<void>;
}

/** One engine under test; `begin` makes a fresh, empty queue for each round. */
interface QueueUnderTest {
  producer: CountedDb;
  begin(round: string): Promise<void>;
  enqueue(count: number): Promise<void>;
  worker(): Promise<QueueWorker>;
  /** How many jobs ended completed exactly once, and each one's completed - created lag. */
  outcome(): Promise<{ completedOnce: number; lagsMs: number[] }>;
  close(): Promise<void>;
}

async function pgBossQueue(
  openDb: () => CountedDb,
  schema: string,
  errors: string[],
): Promise<QueueUnderTest> {
  const start = async (db: CountedDb, migrate: boolean) => {
    const boss = new PgBoss({ db, schema, migrate, supervise: false, schedule: false });
    boss.on('error', (error) => errors.push(error.message));
    await boss.start();
    db.trips = 0;
    return boss;
  };
  const producer = openDb();
  const boss = await start(producer, true);
  let queue = '';
  return {
    producer,
    async begin(round) {
      queue = `bench_${round}`;
      await boss.createQueue(queue);
    },
    enqueue: (count) => boss.insert(Array.from({ length: count }, (_, i) => ({ name: queue, data: { i } }))),
    async worker() {
      const db = openDb();
      const workerBoss = await start(db, false);
      return {
        db,
        async claim() {
          const jobs = await workerBoss.fetch(queue, { batchSize: BATCH });
          return jobs.map((job) => ({ id: job.id, attempts: 0 }));
        },
        complete: (jobs) =>
          workerBoss.complete(
            queue,
            jobs.map((job) => job.id),
          ),
        async stop() {
          await workerBoss.stop({ graceful: false });
          await db.close();
        },
      };
    },
    async outcome() {
      const { rows } = await producer.executeSql(
        `SELECT (extract(epoch FROM completed_on - created_on) * 1000)::float8 AS ms
         FROM ${schema}.job WHERE name = $1 AND state = 'completed' AND retry_count = 0`,
        [queue],
      );
      return { completedOnce: rows.length, lagsMs: rows.map((row) => row.ms as number) };
    },
    async close() {
      await boss.stop({ graceful: false });
      await producer.close();
    },
  };
}

const TABLE = 'bench_webhook_messages';
const CLAIM_SQL = `WITH due AS (
    SELECT id FROM ${TABLE} WHERE state = 'pending' AND next_attempt_at <= now()
    ORDER BY next_attempt_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
  UPDATE ${TABLE} t SET attempts = t.attempts + 1, next_attempt_at = now() + interval '60 seconds'
  FROM due WHERE t.id = due.id RETURNING t.id, t.attempts`;
const DELIVER_SQL = `UPDATE ${TABLE} t SET state = 'delivered', finished_at = now()
  FROM unnest($1::text[], $2::int[]) AS d(id, attempts) WHERE t.id = d.id AND t.attempts = d.attempts`;

/** Our own outbox: the claim leases a batch for 60 s; delivery is fenced by the attempt it claimed. */
async function ownSqlQueue(openDb: () => CountedDb): Promise<QueueUnderTest> {
  const producer = openDb();
  await producer.executeSql(`CREATE TABLE ${TABLE} (
      id text PRIMARY KEY, state text NOT NULL, attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL, created_at timestamptz NOT NULL, finished_at timestamptz);
    CREATE INDEX ${TABLE}_due_idx ON ${TABLE} (next_attempt_at) WHERE state = 'pending'`);
  let round = '';
  return {
    producer,
    async begin(name) {
      round = name;
      await producer.executeSql(`TRUNCATE ${TABLE}`);
      producer.trips = 0;
    },
    async enqueue(count) {
      const ids = Array.from({ length: count }, (_, i) => `${round}-${i}`);
      await producer.executeSql(
        `INSERT INTO ${TABLE} (id, state, attempts, next_attempt_at, created_at)
         SELECT id, 'pending', 0, now(), now() FROM unnest($1::text[]) AS u(id)`,
        [ids],
      );
    },
    async worker() {
      const db = openDb();
      return {
        db,
        async claim() {
          const { rows } = await db.executeSql(CLAIM_SQL, []);
          return rows.map((row) => ({ id: row.id as string, attempts: row.attempts as number }));
        },
        async complete(jobs) {
          await db.executeSql(DELIVER_SQL, [jobs.map((job) => job.id), jobs.map((job) => job.attempts)]);
        },
        stop: () => db.close(),
      };
    },
    async outcome() {
      const { rows } = await producer.executeSql(
        `SELECT (extract(epoch FROM finished_at - created_at) * 1000)::float8 AS ms
         FROM ${TABLE} WHERE state = 'delivered' AND attempts = 1`,
        [],
      );
      return { completedOnce: rows.length, lagsMs: rows.map((row) => row.ms as number) };
    },
    close: () => producer.close(),
  };
}

/** Every worker loops claim → complete until a claim comes back empty. */
async function drain(workers: QueueWorker[]) {
  const claims = new Map<string, number>();
  const held = new Set<string>();
  let claimedWhileHeld = 0;
  await Promise.all(
    workers.map(async (worker) => {
      for (;;) {
        const jobs = await worker.claim();
        if (jobs.length === 0) return;
        for (const { id } of jobs) {
          if (held.has(id)) claimedWhileHeld++;
          held.add(id);
          claims.set(id, (claims.get(id) ?? 0) + 1);
        }
        await worker.complete(jobs);
        for (const { id } of jobs) held.delete(id);
      }
    }),
  );
  let claimedTwice = 0;
  for (const count of claims.values()) if (count > 1) claimedTwice++;
  return { claimedIds: claims.size, claimedTwice, claimedWhileHeld };
}

async function round(queue: QueueUnderTest, name: string, workerCount: number, jobs: number) {
  const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
  await queue.begin(name);
  const workers = await Promise.all(Array.from({ length: workerCount }, () => queue.worker()));
  try {
    queue.producer.trips = 0;
    const enqueueStart = performance.now();
    await queue.enqueue(jobs);
    const enqueueS = (performance.now() - enqueueStart) / 1000;
    const enqueueTrips = queue.producer.trips;
    const drainStart = performance.now();
    const claims = await drain(workers);
    const drainS = (performance.now() - drainStart) / 1000;
    const drainTrips = workers.reduce((sum, worker) => sum + worker.db.trips, 0);
    const { completedOnce, lagsMs } = await queue.outcome();
    return {
      workers: workerCount,
      jobs,
      enqueueJobsPerSecond: Math.round(jobs / enqueueS),
      drainJobsPerSecond: Math.round(jobs / drainS),
      enqueueRoundTrips: enqueueTrips,
      drainRoundTrips: drainTrips,
      drainRoundTripsPerJob: round4(drainTrips / jobs),
      lagP50Ms: Math.round(quantile(lagsMs, 0.5)),
      lagP99Ms: Math.round(quantile(lagsMs, 0.99)),
      ...claims,
      completedOnce,
      everyJobExactlyOnce: completedOnce === jobs && claims.claimedIds === jobs && claims.claimedTwice === 0,
    };
  } finally {
    for (const worker of workers) await worker.stop();
  }
}

async function measure(queue: QueueUnderTest) {
  try {
    await round(queue, 'warm', 1, WARM_UP_JOBS);
    const rounds = [];
    for (const workers of WORKER_COUNTS) rounds.push(await round(queue, `w${workers}`, workers, JOBS));
    return rounds;
  } finally {
    await queue.close();
  }
}

/**
 * Jobs per second to enqueue and to drain, round trips per job and created → completed lag, for
 * pg-boss and our own SQL, on PostgreSQL and on PGlite; every job must be completed exactly once.
 */
export async function benchQueueEngines() {
  const errors: string[] = [];
  const adminUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const isolated = await createIsolatedSchema(adminUrl, 'bench_queue');
  let postgres: Record<string, unknown>;
  try {
    const open = () => postgresDb(isolated.url);
    postgres = {
      pgBoss: await measure(await pgBossQueue(open, isolated.schema, errors)),
      ownSql: await measure(await ownSqlQueue(open)),
    };
  } finally {
    await isolated.drop();
  }
  const pglite = await PGlite.create();
  let embedded: Record<string, unknown>;
  try {
    const open = () => pgliteDb(pglite);
    embedded = {
      pgBoss: await measure(await pgBossQueue(open, 'pgboss_bench', errors)),
      ownSql: await measure(await ownSqlQueue(open)),
    };
  } finally {
    await pglite.close();
  }
  return {
    batch: BATCH,
    pgBossVersion: requireHere('pg-boss/package.json').version as string,
    postgres,
    pglite: embedded,
    pgBossOnPglite: PGLITE_FINDING,
    errors,
  };
}
