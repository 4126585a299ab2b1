// The IndexedDB backend, through `idb` (promises over IndexedDB requests). Every operation of the
// runtime runs in one transaction, and IndexedDB runs read-write transactions over the same stores
// one after another across all tabs of the origin: this is what keeps two tabs from losing or
// double-counting events.

import { deleteDB, openDB } from 'idb';

import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';

class IndexedDbTransaction {
  #tx;

  constructor(tx) {
    this.#tx = tx;
  }

  get(store, key) {
    return this.#tx.objectStore(store).get(key);
  }

  put(store, value) {
    return this.#tx.objectStore(store).put(value);
  }

  delete(store, key) {
    return this.#tx.objectStore(store).delete(key);
  }

  getAll(store, limit) {
    return this.#tx.objectStore(store).getAll(null, limit);
  }

  count(store) {
    return this.#tx.objectStore(store).count();
  }

  async deleteOldest(store, n) {
    const keys = await this.#tx.objectStore(store).getAllKeys(null, n);
    if (keys.length > 0) await this.#tx.objectStore(store).delete(IDBKeyRange.bound(keys[0], keys.at(-1)));
  }

  clear(store) {
    return this.#tx.objectStore(store).clear();
  }
}

export class IndexedDbStore {
  kind = 'indexeddb';
  #name;
  #db;
  #opening = null;

  constructor(name, db) {
    this.#name = name;
    this.#db = db;
  }

  /** Opens (creating or migrating) the database `name`; rejects when IndexedDB is unusable. */
  static async open(name) {
    const store = new IndexedDbStore(name, null);
    await store.#connect();
    return store;
  }

  #connect() {
    this.#opening ??= openDB(this.#name, SCHEMA_VERSION, {
      upgrade(db, oldVersion, newVersion, transaction) {
        for (let version = oldVersion; version < newVersion; version++) MIGRATIONS[version](db, transaction);
      },
      // Another tab deletes or upgrades the database: let it, and reconnect on the next use.
      blocking: () => this.#disconnect(),
      terminated: () => this.#disconnect(),
    }).then((db) => {
      this.#db = db;
      return db;
    }).finally(() => {
      this.#opening = null;
    });
    return this.#opening;
  }

  #disconnect() {
    this.#db?.close();
    this.#db = null;
  }

  /**
   * Runs `work(tx)` in one transaction over `stores`. `work` may await only the transaction's own
   * operations (IndexedDB commits a transaction once nothing is pending); it is aborted when
   * `work` throws. A read-write transaction resolves once committed; a readonly one as soon as
   * `work` has its results (they cannot change, and waiting for `complete` costs a task).
   */
  async run(stores, mode, work) {
    const db = this.#db ?? await this.#connect();
    const tx = db.transaction(stores, mode);
    let result;
    try {
      result = await work(new IndexedDbTransaction(tx));
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // already finished
      }
      tx.done.catch(() => {});
      throw error;
    }
    if (mode === 'readonly') {
      tx.done.catch(() => {});
      return result;
    }
    await tx.done;
    return result;
  }

  /** Deletes the database (other tabs' connections close themselves on `blocking`). */
  async destroy() {
    this.#disconnect();
    await deleteDB(this.#name);
  }

  close() {
    this.#disconnect();
  }
}
