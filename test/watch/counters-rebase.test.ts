// Alive at start = the start SCAN, kept by events since. Events that arrive WHILE that SCAN runs
// must not be lost: a key created behind the SCAN's cursor, or deleted after the SCAN passed it,
// would otherwise leave alive wrong by one for the rest of the run.
import { describe, expect, it } from 'vitest';
import { WatchCounters } from '../../src/watch/counters.js';

const all = { created: true, expired: true, deleted: true, evicted: true };

describe('WatchCounters: events during the rebase SCAN', () => {
  it('`new` events: keys created or deleted while the SCAN ran are counted as they are after it', () => {
    const counters = new WatchCounters({ created: 'new' });
    counters.beginRebase();
    counters.event('new', 'sess:a'); // created where the SCAN had already been: not in it
    counters.event('deleted', 'sess:b'); // deleted after the SCAN saw it
    counters.event('expired', 'sess:d'); // same, expired
    counters.rebase({ keys: ['sess:b', 'sess:c', 'sess:d'], scanned: 3, total: 3, complete: true }, false);
    // Alive now: sess:a and sess:c.
    expect(counters.take(1, all)[0]).toMatchObject({ pattern: 'sess:*', alive: 2 });
    counters.event('deleted', 'sess:a');
    expect(counters.take(1, all)[0]).toMatchObject({ alive: 1, counts: { deleted: 1 } });
  });

  it('writes (no `new` events): a key written while the SCAN ran is known alive, so its next write is an update', () => {
    const counters = new WatchCounters({ created: 'writes' });
    counters.beginRebase();
    counters.event('write', 'sess:a'); // not in the SCAN
    counters.rebase({ keys: ['sess:b'], scanned: 1, total: 1, complete: true }, true);
    counters.event('write', 'sess:a'); // an update, not a creation
    expect(counters.take(1, all)[0]).toMatchObject({ alive: 2, counts: { created: 0 } });
  });

  it('without beginRebase, or after the rebase, events count as before', () => {
    const counters = new WatchCounters({ created: 'new' });
    counters.rebase({ keys: ['sess:b'], scanned: 1, total: 1, complete: true }, false);
    counters.event('new', 'sess:a');
    counters.event('deleted', 'sess:b');
    counters.event('new', 'sess:c');
    expect(counters.take(1, all)[0]).toMatchObject({ alive: 2, counts: { created: 2, deleted: 1 } });
  });
});

describe('WatchCounters: the end of an interval', () => {
  it('events after cut() (while INFO and the SCAN are read) are reported with the next interval', () => {
    const counters = new WatchCounters({ created: 'new' });
    counters.rebase({ keys: [], scanned: 0, total: 0, complete: true }, false);
    counters.event('new', 'sess:a');
    counters.cut();
    counters.event('new', 'sess:b'); // after the interval's time was up
    counters.event('new', 'cache:x'); // a namespace first seen after the cut
    const first = counters.take(1, all);
    expect(first.find((r) => r.pattern === 'sess:*')).toMatchObject({ counts: { created: 1 }, alive: 2 });
    expect(first.find((r) => r.pattern === 'cache:x')).toMatchObject({ counts: { created: 0 }, alive: 1 });
    const second = counters.take(1, all);
    expect(second.find((r) => r.pattern === 'sess:*')).toMatchObject({ counts: { created: 1 } });
    expect(second.find((r) => r.pattern === 'cache:x')).toMatchObject({ counts: { created: 1 } });
    expect(counters.take(1, all).find((r) => r.pattern === 'sess:*')).toMatchObject({ counts: { created: 0 } });
  });
});
