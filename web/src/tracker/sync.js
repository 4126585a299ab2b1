// Sends the outbox to a collector: batched POSTs while online, exponential backoff with jitter on
// failure, a sendBeacon of what is still unsent when the page is hidden. Every entry carries the
// id it was given when tracked, so retries and beacons can reach the collector more than once and
// it still keeps each event once; an entry leaves the outbox only when the collector acknowledged
// its id. With several tabs open, one at a time sends (a Web Lock), the others skip their turn.
//
// Wire format: POST `{"batch": [entry, ...]}` → 2xx `{"acknowledged": [id, ...]}`; an entry is
// {id, kind: "event", customerId, type, timestamp, value?, properties?, anonymousId?} or
// {id, kind: "erasure", customerIds: [...], requestedAt}.

import { StagelineError } from '../common/errors.js';
import { recordProblem } from './storage/schema.js';

const DEFAULTS = Object.freeze({
  batchSize: 50,
  flushDelayMs: 1000,
  timeoutMs: 10_000,
  backoffBaseMs: 1000,
  backoffMaxMs: 60_000,
  beacon: true,
  maxOutbox: 10_000,
});

/** Equal jitter: half of the doubled delay fixed, half random, so tabs and pages do not retry in step. */
export function backoffDelay(attempt, baseMs, maxMs, random = Math.random) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

const isOnline = () => globalThis.navigator?.onLine !== false;

export class Sync {
  #options;
  #store;
  #allowed;
  #report;
  #lockName;
  #timer = null;
  #timerDue = Infinity;
  #attempt = 0;
  #running = null;
  #again = false;
  #unsent = new Map();  // id → wire entry, for the beacon (which cannot wait for IndexedDB)
  #beaconed = new Set();  // ids already handed to a beacon: pagehide and hidden both fire on leaving
  #listeners = [];
  #stopped = false;

  /**
   * options: {url, batchSize, flushDelayMs, timeoutMs, backoffBaseMs, backoffMaxMs, beacon, maxOutbox};
   * store(): the current storage backend; allowed(): consent; report(type, detail).
   */
  constructor(options, { store, allowed, report, lockName }) {
    this.#options = { ...DEFAULTS, ...options };
    const { maxOutbox } = this.#options;
    if (!Number.isInteger(maxOutbox) || maxOutbox < 1) {
      throw new StagelineError('invalid_argument', 'sync.maxOutbox', `expected a whole number >= 1, got ${JSON.stringify(maxOutbox)}`);
    }
    this.#store = store;
    this.#allowed = allowed;
    this.#report = report;
    this.#lockName = lockName;
    this.#listen(globalThis, 'online', () => {
      this.#attempt = 0;
      this.schedule(0);
    });
    this.#listen(globalThis, 'offline', () => this.#clearTimer());
    if (this.#options.beacon && typeof document !== 'undefined') {
      this.#listen(globalThis, 'pagehide', () => this.beacon());
      this.#listen(document, 'visibilitychange', () => {
        if (document.visibilityState === 'hidden') this.beacon();
      });
    }
  }

  get url() {
    return this.#options.url;
  }

  /** The most entries the outbox keeps (the tracker drops the oldest events beyond it). */
  get maxOutbox() {
    return this.#options.maxOutbox;
  }

  #listen(target, type, listener) {
    target.addEventListener?.(type, listener);
    this.#listeners.push(() => target.removeEventListener?.(type, listener));
  }

  /** Remembers entries just written to the outbox (for the beacon) and schedules a send. */
  queued(entries) {
    for (const entry of entries) this.#unsent.set(entry.id, entry);
    // Never more than the outbox holds: the oldest (first inserted) are the ones it dropped.
    for (const id of this.#unsent.keys()) {
      if (this.#unsent.size <= this.#options.maxOutbox) break;
      this.#forgetEntry(id);
    }
    this.schedule();
  }

  /** Forgets entries the outbox dropped. */
  droppedFromOutbox(ids) {
    for (const id of ids) this.#forgetEntry(id);
  }

  #forgetEntry(id) {
    this.#unsent.delete(id);
    this.#beaconed.delete(id);
  }

  /** Forgets every remembered entry (after forget() erased the outbox). */
  dropUnsent() {
    this.#unsent.clear();
    this.#beaconed.clear();
  }

  /** Sends after `delayMs` (default flushDelayMs) unless a send is already due sooner. */
  schedule(delayMs = this.#options.flushDelayMs) {
    if (this.#stopped) return;
    const due = Date.now() + delayMs;
    if (this.#timer !== null && this.#timerDue <= due) return;
    this.#clearTimer();
    this.#timerDue = due;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#timerDue = Infinity;
      this.flush().catch((error) => this.#report('error', { code: 'sync_failed', message: String(error?.message ?? error) }));
    }, delayMs);
  }

  #clearTimer() {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#timerDue = Infinity;
  }

  /** Sends the whole outbox now (resolves when it is empty, offline, refused or failed). */
  flush() {
    if (this.#running !== null) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#flushUnderLock().finally(() => {
      this.#running = null;
      if (this.#again) {
        this.#again = false;
        this.schedule(0);
      }
    });
    return this.#running;
  }

  async #flushUnderLock() {
    if (this.#stopped || !this.#allowed() || !isOnline() || this.#store() === null) return;
    const locks = globalThis.navigator?.locks;
    if (locks === undefined) {
      await this.#sendAll();
      return;
    }
    await locks.request(this.#lockName, { ifAvailable: true }, async (lock) => {
      if (lock === null) {
        this.schedule();  // another tab is sending; look again shortly in case it missed ours
        return;
      }
      await this.#sendAll();
    });
  }

  async #sendAll() {
    for (;;) {
      if (this.#stopped || !this.#allowed() || !isOnline()) return;
      const store = this.#store();
      if (store === null) return;
      const records = await store.run(['outbox'], 'readonly', (tx) => tx.getAll('outbox', this.#options.batchSize));
      if (records.length === 0) return;
      const usable = [];
      const corrupt = [];
      for (const record of records) {
        const problem = recordProblem('outbox', record);
        if (problem === null) {
          usable.push(record);
        } else {
          corrupt.push(record.seq);
          this.#report('error', { code: 'corrupt_record', store: 'outbox', key: record?.seq, message: `outbox record skipped: ${problem}` });
        }
      }
      if (corrupt.length > 0) {
        await store.run(['outbox'], 'readwrite', async (tx) => {
          for (const seq of corrupt) await tx.delete('outbox', seq);
        });
      }
      if (usable.length === 0) continue;
      const acknowledged = await this.#post(usable.map((record) => record.body));
      if (acknowledged === null) return;  // failed: a retry is scheduled
      const ack = new Set(acknowledged);
      const done = usable.filter((record) => ack.has(record.id));
      await store.run(['outbox'], 'readwrite', async (tx) => {
        for (const record of done) await tx.delete('outbox', record.seq);
      });
      for (const record of done) this.#forgetEntry(record.id);
      this.#attempt = 0;
      this.#report('sync', { sent: usable.length, acknowledged: done.length });
      if (done.length < usable.length) {
        // The collector kept some back: treat as a failure of those, retry later.
        this.#retry(`the collector acknowledged ${done.length} of ${usable.length} entries`);
        return;
      }
      if (records.length < this.#options.batchSize) return;
    }
  }

  /** POSTs one batch; the acknowledged ids, or null after reporting the failure and scheduling a retry. */
  async #post(batch) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#options.timeoutMs);
    try {
      const response = await fetch(this.#options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ batch }),
        signal: controller.signal,
        credentials: 'omit',
        cache: 'no-store',
      });
      if (!response.ok) throw new Error(`the collector answered HTTP ${response.status}`);
      const reply = await response.json();
      if (!Array.isArray(reply?.acknowledged)) throw new Error('the collector\'s reply has no "acknowledged" array');
      return reply.acknowledged;
    } catch (error) {
      this.#retry(controller.signal.aborted ? `no answer within ${this.#options.timeoutMs} ms` : String(error?.message ?? error));
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  #retry(message) {
    this.#attempt += 1;
    const retryInMs = Math.round(backoffDelay(this.#attempt, this.#options.backoffBaseMs, this.#options.backoffMaxMs));
    this.#report('error', { code: 'sync_failed', message, attempt: this.#attempt, retryInMs });
    this.#clearTimer();
    this.schedule(retryInMs);
  }

  /**
   * Hands what this page knows to be unsent to navigator.sendBeacon (at most ~60 KB), each entry
   * once per page (leaving a page fires both `visibilitychange` and `pagehide`). The entries stay
   * in the outbox: a beacon has no answer, so they are sent again later and the collector drops
   * the copies by id.
   */
  beacon() {
    if (this.#stopped || !this.#allowed() || this.#unsent.size === 0) return false;
    if (typeof navigator?.sendBeacon !== 'function') return false;
    const batch = [];
    let size = 12;
    for (const entry of this.#unsent.values()) {
      if (this.#beaconed.has(entry.id)) continue;
      const length = JSON.stringify(entry).length + 1;
      if (size + length > 60_000) break;
      batch.push(entry);
      size += length;
    }
    if (batch.length === 0) return false;
    // text/plain keeps the beacon a "simple" request (no CORS preflight, which beacons cannot do).
    const queued = navigator.sendBeacon(this.#options.url, new Blob([JSON.stringify({ batch })], { type: 'text/plain' }));
    if (queued) for (const entry of batch) this.#beaconed.add(entry.id);
    return queued;
  }

  /** Stops timers and listeners. */
  stop() {
    this.#stopped = true;
    this.#clearTimer();
    for (const remove of this.#listeners) remove();
    this.#listeners = [];
  }
}
