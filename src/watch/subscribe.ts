/**
 * One subscriber connection per master (key events are published only by the node whose key it is,
 * so a cluster needs all of them), SUBSCRIBEd to the key-event channels, each message turned into a
 * watch event: the channel names what happened, the message is the key.
 */
import { InputError } from '../errors.js';
import type { RedisStore } from '../stores/redis/connect.js';
import type { RedisReader, RedisSubscriber } from '../stores/redis/reader.js';
import { eventOfChannel } from './notify-classes.js';

/** What a key event means to watch. `write`: SET/HSET (a new key, or an update of one). */
export type WatchEventKind = 'new' | 'write' | 'expired' | 'deleted' | 'evicted';

const KIND_OF_EVENT: Record<string, WatchEventKind> = {
  new: 'new',
  set: 'write',
  hset: 'write',
  expired: 'expired',
  del: 'deleted',
  evicted: 'evicted',
};

export interface Subscriptions {
  /** Messages received per channel event (for the "notifications look off" check). */
  received: Map<WatchEventKind, number>;
  /** True once every event published so far on every master has been handed to onEvent; false after timeoutMs. */
  sync(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * @param channelsOf the channels to subscribe to on each node
 * @param onLost called once when a subscriber connection drops (the watch then ends with that error)
 */
export async function subscribeAll(
  store: RedisStore,
  channelsOf: (node: RedisReader) => string[],
  onEvent: (kind: WatchEventKind, key: string) => void,
  onLost: (error: Error) => void,
): Promise<Subscriptions> {
  if (!store.subscriber) throw new InputError('this connection cannot open subscriber connections', store.source);
  const received = new Map<WatchEventKind, number>();
  const subscribers: RedisSubscriber[] = [];
  const close = async () => {
    await Promise.all(subscribers.map((subscriber) => subscriber.close()));
  };
  try {
    await Promise.all(
      store.nodes.map(async (node) => {
        const subscriber = await store.subscriber!(node);
        subscribers.push(subscriber);
        subscriber.onLost((error) =>
          onLost(
            error instanceof InputError && error.message === 'connection lost'
              ? new InputError('subscriber connection lost (the server went away, or dropped a subscriber that fell behind: client-output-buffer-limit pubsub)', subscriber.source)
              : error,
          ),
        );
        subscriber.onMessage((channel, key) => {
          const kind = KIND_OF_EVENT[eventOfChannel(channel)];
          if (!kind) return;
          received.set(kind, (received.get(kind) ?? 0) + 1);
          onEvent(kind, key);
        });
        await subscriber.subscribe(channelsOf(node));
      }),
    );
  } catch (error) {
    await close();
    throw error;
  }
  const sync = async (timeoutMs: number) => (await Promise.all(subscribers.map((subscriber) => subscriber.sync(timeoutMs)))).every(Boolean);
  return { received, sync, close };
}
