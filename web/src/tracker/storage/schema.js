// The runtime's database layout, shared by both backends: object stores, the schema version with
// its migration steps, and the shape checks that let a corrupted or foreign record be reported
// and skipped instead of crashing the page.

/** The IndexedDB version. Raise it together with a new entry in MIGRATIONS, never edit an old one. */
export const SCHEMA_VERSION = 1;

/** Version stamped on every record (`v`), so a newer layout is recognised rather than misread. */
export const RECORD_VERSION = 1;

/**
 * keyed: key path `key` (one record per visitor identity or per meta entry); sequenced:
 * auto-incremented `seq`, read in insertion order (the raw event log and the outbox).
 */
export const STORES = Object.freeze({
  meta: { keyPath: 'key' },
  profiles: { keyPath: 'key' },
  exposures: { keyPath: 'key' },
  events: { keyPath: 'seq', autoIncrement: true },
  outbox: { keyPath: 'seq', autoIncrement: true },
});

export const STORE_NAMES = Object.freeze(Object.keys(STORES));

/**
 * MIGRATIONS[n] upgrades a database from version n to n + 1; opening runs every step from the
 * stored version up to SCHEMA_VERSION, inside IndexedDB's versionchange transaction.
 */
export const MIGRATIONS = Object.freeze([
  // 0 → 1: the initial layout.
  (db) => {
    for (const name of STORE_NAMES) db.createObjectStore(name, STORES[name]);
  },
]);

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const isTime = (value) => typeof value === 'number' && Number.isFinite(value);

const CHECKS = {
  meta: (r) => typeof r.key === 'string' && (r.key !== 'visitor'
    || (typeof r.anonymousId === 'string' && (r.customerId === null || typeof r.customerId === 'string'))),
  profiles: (r) => typeof r.key === 'string' && Number.isInteger(r.revision) && isObject(r.profile)
    && typeof r.profile.customerId === 'string' && Array.isArray(r.timeline)
    && (r.stage === null || (isObject(r.stage) && typeof r.stage.stage === 'string' && isTime(r.stage.enteredAt))),
  exposures: (r) => typeof r.key === 'string' && Array.isArray(r.history),
  events: (r) => isObject(r.event) && typeof r.event.id === 'string' && typeof r.event.type === 'string',
  outbox: (r) => typeof r.id === 'string' && (r.kind === 'event' || r.kind === 'erasure') && isObject(r.body),
};

/**
 * Why a stored record cannot be used, or null when it can: not an object, another record version
 * (written by a newer or foreign build), or the wrong shape for its store.
 */
export function recordProblem(store, record) {
  if (!isObject(record)) return `expected an object, got ${record === null ? 'null' : typeof record}`;
  if (record.v !== RECORD_VERSION) return `expected record version ${RECORD_VERSION}, got ${JSON.stringify(record.v)}`;
  if (!CHECKS[store](record)) return `not a ${store} record of this runtime`;
  return null;
}
