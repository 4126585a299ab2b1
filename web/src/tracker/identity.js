// Identifiers: random ids for visitors and events (an event's id is fixed when it is tracked and
// sent with every retry, so a collector can drop duplicates), and SHA-256 hashing of customer ids
// before they leave the device.

/** A random UUID (v4). */
export function randomId() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Lower-case hex SHA-256 of `salt + id` (UTF-8), through crypto.subtle (secure contexts only). */
export async function hashIdentifier(id, salt = '') {
  if (globalThis.crypto?.subtle === undefined) {
    throw new Error('crypto.subtle is unavailable (not a secure context): cannot hash identifiers');
  }
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(salt + id));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
