import type { StoreFacts } from '../../model/index.js';

/** "3,000 sessions", or "about 1,003,000 sessions" when --sample scaled the count up. */
export function sessionCount(store: StoreFacts, noun = 'sessions'): string {
  return `${store.keysEstimated ? 'about ' : ''}${store.sessionKeys.toLocaleString('en-US')} ${noun}`;
}
