// The storefront's simulated clock: real time plus an offset that "Advance the clock" grows, given
// to the tracker as its time source (createTracker's `now` option). The offset is kept in
// localStorage so a reload does not send the visitor back in time behind their own stored events.
// (This is the demo's clock, not the runtime's data: the runtime itself uses only IndexedDB.)

const DAY = 86_400_000;

function readOffset(key) {
  try {
    const stored = Number(globalThis.localStorage?.getItem(key));
    return Number.isFinite(stored) ? stored : 0;
  } catch {
    return 0;  // storage blocked (opaque origin, privacy settings): the offset lives for this page
  }
}

function writeOffset(key, offset) {
  try {
    globalThis.localStorage?.setItem(key, String(offset));
  } catch {
    // as above: kept in memory only
  }
}

/**
 * A clock stored under `key`. `start` (an ISO-8601 time or null) restarts it at that moment, for
 * reproducible walks (?now=2026-03-02T12:00:00Z); time then runs on from there.
 */
export function simulatedClock(key, start = null) {
  let offset = readOffset(key);
  if (start !== null) {
    const at = Date.parse(start);
    if (!Number.isFinite(at)) throw new RangeError(`?now=${start}: expected an ISO-8601 time such as 2026-03-02T12:00:00Z`);
    offset = at - Date.now();
    writeOffset(key, offset);
  }
  return {
    now: () => Date.now() + offset,
    advance(days) {
      offset += days * DAY;
      writeOffset(key, offset);
    },
    reset() {
      offset = 0;
      writeOffset(key, offset);
    },
  };
}
