// Chooses the storage backend: IndexedDB when it opens, otherwise memory, with the reason, so the
// tracker can report the fallback instead of hiding it.

import { MemoryStore } from './memory.js';

/**
 * backend 'auto' (IndexedDB, else memory), 'indexeddb' (fail when unavailable) or 'memory'.
 * Resolves to { store, problem } where problem is null or why IndexedDB could not be used.
 */
export async function openStore({ name, backend }) {
  if (backend === 'memory') return { store: new MemoryStore(), problem: null };
  let problem;
  let available = false;
  try {
    available = typeof indexedDB !== 'undefined' && indexedDB !== null;
  } catch {
    // a getter that throws (sandboxed or opaque origins): unavailable
  }
  if (!available) {
    problem = 'IndexedDB is not available in this context';
  } else {
    try {
      // Loaded on first use, so pages that never create a tracker need no resolution of 'idb'.
      const { IndexedDbStore } = await import('./indexeddb.js');
      return { store: await IndexedDbStore.open(name), problem: null };
    } catch (error) {
      problem = `IndexedDB could not be opened: ${error?.name ?? 'Error'}: ${error?.message ?? error}`;
    }
  }
  if (backend === 'indexeddb') throw new Error(problem);
  return { store: new MemoryStore(), problem };
}
