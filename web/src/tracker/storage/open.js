// Chooses the storage backend: IndexedDB when it opens, otherwise memory, with the reason, so the
// tracker can report the fallback instead of hiding it.

import { MemoryStore } from './memory.js';

/**
 * backend 'auto' (IndexedDB, else memory), 'indexeddb' (fail when unavailable) or 'memory'.
 * Resolves to { store, problem } where problem is null or why IndexedDB could not be used.
 */
export async function openStore(options) {
  return (await startOpeningStore(options)).result;
}

/**
 * openStore in two steps, so that the caller can work while the browser opens the database:
 * resolves, once the open request is issued, to { result }, where `result` is the promise
 * openStore would return (never rejected here: a failure is in `result`).
 */
export async function startOpeningStore({ name, backend }) {
  if (backend === 'memory') return { result: Promise.resolve({ store: new MemoryStore(), problem: null }) };
  const fallBack = (problem) => {
    if (backend === 'indexeddb') return Promise.reject(new Error(problem));
    return Promise.resolve({ store: new MemoryStore(), problem });
  };
  let available = false;
  try {
    available = typeof indexedDB !== 'undefined' && indexedDB !== null;
  } catch {
    // a getter that throws (sandboxed or opaque origins): unavailable
  }
  if (!available) return { result: fallBack('IndexedDB is not available in this context') };
  const failed = (error) => fallBack(`IndexedDB could not be opened: ${error?.name ?? 'Error'}: ${error?.message ?? error}`);
  try {
    // Loaded on first use, so pages that never create a tracker need no resolution of 'idb'.
    const { IndexedDbStore } = await import('./indexeddb.js');
    // IndexedDbStore.open issues the open request before its first await.
    return { result: IndexedDbStore.open(name).then((store) => ({ store, problem: null }), failed) };
  } catch (error) {
    return { result: failed(error) };
  }
}
