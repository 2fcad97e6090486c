import type { Admin, Consumer, Kafka, KafkaMessage } from 'kafkajs';

/** A batch as the sink sees it: one partition's consecutive messages and the token that names them forever. */
export interface SinkBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  /** `topic:partition:first-last`: the same offsets always give the same token (ClickHouse insert_deduplication_token). */
  token: string;
}

export interface ExactlyOnceOptions {
  kafka: Kafka;
  groupId: string;
  topic: string;
  /** Most messages per sink call. */
  batchSize: number;
  /** Longest a fetch waits for more data before a smaller batch is sunk (the time half of "by size and time"). */
  maxWaitMs: number;
  /**
   * Group members (kafkajs consumers) this worker runs; default one per partition of the topic. kafkajs fetches again
   * only once every batch of its previous fetch is sunk, so partitions sharing a member wait for each other's inserts.
   */
  members?: number;
  /** Must be idempotent for a given token: it may be called again with the very same batch after a crash. */
  sink: (batch: SinkBatch) => Promise<void>;
  /**
   * Right after the sink stored the batch, before its offsets are committed (notifications: data versions, ticks): the
   * rows are queryable from then on, and a crash before the commit only repeats a notification, which is harmless.
   */
  afterStored?: (batch: SinkBatch) => Promise<void>;
  onError?: (error: unknown) => void;
}

const NOTE = 'pending:';

/**
 * At-least-once delivery made exactly-once in effect:
 *
 * 1. before sinking offsets [first, last] of a partition, commit `first` again with the metadata `pending:<last>`: a
 *    write-ahead note, kept by Kafka in the consumer group itself;
 * 2. sink with the token `topic:partition:first-last` (the sink passes it to ClickHouse as insert_deduplication_token);
 * 3. commit `last + 1` with no note.
 *
 * A worker that takes the partition over (after a crash or a rebalance) reads the note and re-forms exactly
 * [first, last] as its first batch, so a batch that was stored but not committed is sent again with the same token and
 * ClickHouse drops it; one that was not stored is stored now. Batches are never re-cut, so no token ever covers a
 * different set of rows.
 *
 * The note must be acknowledged before the insert starts (an insert stored without a note could be re-cut after a
 * crash), but step 3 need not hold up the next fetch: it is sent as the batch ends and the next note of the partition
 * waits for it, so commits of one partition still reach Kafka in order. One that is lost or refused in a rebalance
 * (an old generation) leaves the note, whose batch is re-formed and dropped by ClickHouse.
 */
export class ExactlyOnceConsumer {
  readonly #admin: Admin;
  #members: GroupMember[] = [];

  constructor(private readonly o: ExactlyOnceOptions) {
    this.#admin = o.kafka.admin();
  }

  async start(): Promise<void> {
    await this.#admin.connect();
    const count = this.o.members ?? (await this.#partitionCount());
    this.#members = Array.from({ length: count }, () => new GroupMember(this.o, this.#admin));
    // Joining together puts them in one rebalance rather than one per member.
    await Promise.all(this.#members.map((m) => m.start()));
  }

  async #partitionCount(): Promise<number> {
    const { topics } = await this.#admin.fetchTopicMetadata({ topics: [this.o.topic] });
    return Math.max(1, topics[0]?.partitions.length ?? 1);
  }

  async stop(): Promise<void> {
    await Promise.all(this.#members.map((m) => m.stop()));
    await this.#admin.disconnect();
  }
}

/** One kafkajs consumer of the group running the write-ahead protocol for the partitions it is assigned. */
class GroupMember {
  readonly #consumer: Consumer;
  /** Per partition: the last offset of a batch that may be stored but uncommitted; read once per assignment. */
  #notes: Map<number, bigint | null> | undefined;
  /** Per partition: the `last + 1` commit still in flight, which the partition's next note must follow. */
  readonly #acks = new Map<number, Promise<void>>();
  #stopped = false;

  constructor(
    private readonly o: ExactlyOnceOptions,
    private readonly admin: Admin,
  ) {
    this.#consumer = o.kafka.consumer({
      groupId: o.groupId,
      maxWaitTimeInMs: o.maxWaitMs,
      // Large enough that a fetch from a noted offset always returns the whole noted batch.
      maxBytesPerPartition: 16 * 1024 * 1024,
      maxBytes: 64 * 1024 * 1024,
      sessionTimeout: 6_000,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 20_000,
    });
    // A new assignment may hold partitions another member left with a note: read the notes again.
    this.#consumer.on(this.#consumer.events.GROUP_JOIN, () => {
      this.#notes = undefined;
    });
  }

  async start(): Promise<void> {
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topic: this.o.topic, fromBeginning: true });
    await this.#consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 4,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const notes = await this.#readNotes();
        let messages = batch.messages;
        while (messages.length > 0 && isRunning() && !isStale() && !this.#stopped) {
          const noted = notes.get(batch.partition);
          let take = Math.min(this.o.batchSize, messages.length);
          // A note behind the fetch position is spent (its batch was committed); only one ahead shapes this batch.
          if (noted !== undefined && noted !== null && BigInt(messages[0]!.offset) <= noted) {
            const end = messages.findIndex((m) => BigInt(m.offset) > noted);
            // The fetch stopped inside the noted batch: leave it unresolved so the next fetch starts at `first` again.
            if (end === -1 && BigInt(messages.at(-1)!.offset) < noted) return;
            take = end === -1 ? messages.length : end;
          }
          const part = messages.slice(0, take);
          await this.#process(batch.topic, batch.partition, part, notes);
          resolveOffset(part.at(-1)!.offset);
          await heartbeat();
          messages = messages.slice(take);
        }
      },
    });
  }

  async #readNotes(): Promise<Map<number, bigint | null>> {
    if (this.#notes) return this.#notes;
    const [topic] = await this.admin.fetchOffsets({ groupId: this.o.groupId, topics: [this.o.topic] });
    const notes = new Map<number, bigint | null>();
    for (const p of topic?.partitions ?? []) {
      notes.set(p.partition, p.metadata?.startsWith(NOTE) ? BigInt(p.metadata.slice(NOTE.length)) : null);
    }
    this.#notes = notes;
    return notes;
  }

  async #process(
    topic: string,
    partition: number,
    messages: KafkaMessage[],
    notes: Map<number, bigint | null>,
  ): Promise<void> {
    const first = messages[0]!.offset;
    const last = messages.at(-1)!.offset;
    const batch: SinkBatch = { topic, partition, messages, token: `${topic}:${partition}:${first}-${last}` };
    await this.#acks.get(partition);
    await this.#consumer.commitOffsets([{ topic, partition, offset: first, metadata: `${NOTE}${last}` }]);
    // Kept in memory too: when the sink throws, kafkajs retries in this process and must cut the same batch again.
    notes.set(partition, BigInt(last));
    await this.o.sink(batch);
    // The in-memory note stays: the next fetch starts past it, which makes it spent.
    this.#acks.set(
      partition,
      this.#consumer
        .commitOffsets([{ topic, partition, offset: (BigInt(last) + 1n).toString(), metadata: null }])
        .catch((error: unknown) => (this.o.onError ?? console.error)(error)),
    );
    try {
      // Notifications are best effort: the rows are stored; the next batch bumps the versions again.
      await this.o.afterStored?.(batch);
    } catch (error) {
      (this.o.onError ?? console.error)(error);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    // Stopping waits for the batch being sunk; its commit goes out before the connection closes.
    await this.#consumer.stop();
    await Promise.all(this.#acks.values());
    await this.#consumer.disconnect();
  }
}
