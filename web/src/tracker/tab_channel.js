// Tells the other tabs (and workers) of the same origin what this one changed, so their
// in-memory profile, stage and identity follow: BroadcastChannel where it exists, nothing
// otherwise (each tab then re-reads storage before its next write anyway).

export class TabChannel {
  #channel = null;

  /** `onMessage(message)` is called for every message another context posts on `name`. */
  constructor(name, onMessage) {
    if (typeof BroadcastChannel !== 'function') return;
    this.#channel = new BroadcastChannel(name);
    this.#channel.onmessage = (event) => onMessage(event.data);
  }

  post(message) {
    this.#channel?.postMessage(message);
  }

  close() {
    this.#channel?.close();
    this.#channel = null;
  }
}
