// The in-memory backend: the same transactions as IndexedDB over Maps, for contexts without
// IndexedDB (private modes, opaque origins) or when asked for. Nothing survives the page, and
// nothing is shared with other tabs.

import { STORE_NAMES, STORES } from './schema.js';

class MemoryTransaction {
  #stores;
  #sequences;

  constructor(stores, sequences) {
    this.#stores = stores;
    this.#sequences = sequences;
  }

  async get(store, key) {
    return structuredClone(this.#stores[store].get(key));
  }

  async put(store, value) {
    const copy = structuredClone(value);
    const { keyPath, autoIncrement } = STORES[store];
    if (autoIncrement && copy[keyPath] === undefined) copy[keyPath] = ++this.#sequences[store];
    this.#stores[store].set(copy[keyPath], copy);
    return copy[keyPath];
  }

  async delete(store, key) {
    this.#stores[store].delete(key);
  }

  async getAll(store, limit = Infinity) {
    return this.#firstKeys(store, limit).map((key) => structuredClone(this.#stores[store].get(key)));
  }

  async count(store) {
    return this.#stores[store].size;
  }

  async deleteOldest(store, n) {
    for (const key of this.#firstKeys(store, n)) this.#stores[store].delete(key);
  }

  /**
   * The `limit` smallest keys, as IndexedDB orders them. A sequenced store's Map is already in key
   * order (keys are assigned increasing and a Map iterates in insertion order), so the log and the
   * outbox are read from the front rather than sorted on every event.
   */
  #firstKeys(store, limit) {
    const map = this.#stores[store];
    if (STORES[store].autoIncrement) {
      const keys = [];
      for (const key of map.keys()) {
        if (keys.length >= limit) break;
        keys.push(key);
      }
      return keys;
    }
    return [...map.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, limit);
  }

  async clear(store) {
    this.#stores[store].clear();
  }
}

export class MemoryStore {
  kind = 'memory';
  #stores = Object.fromEntries(STORE_NAMES.map((name) => [name, new Map()]));
  #sequences = Object.fromEntries(STORE_NAMES.map((name) => [name, 0]));
  #queue = Promise.resolve();

  /** Runs `work(tx)` after every earlier transaction, as IndexedDB orders overlapping ones. */
  run(_stores, _mode, work) {
    const result = this.#queue.then(() => work(new MemoryTransaction(this.#stores, this.#sequences)));
    this.#queue = result.catch(() => {});
    return result;
  }

  /** Erases everything. */
  async destroy() {
    await this.run(STORE_NAMES, 'readwrite', async (tx) => {
      for (const name of STORE_NAMES) await tx.clear(name);
    });
  }

  close() {}
}
