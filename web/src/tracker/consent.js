// Consent: with `consent: 'required'` the tracker keeps and sends nothing until grantConsent(), and
// nothing again after revokeConsent(). Consent is not stored by the runtime (storing it would be
// storing something before consent): the page's consent manager grants it on every load.

export const CONSENT_MODES = Object.freeze(['required', 'granted']);

export class Consent {
  #state;

  /** mode 'required' starts pending; 'granted' (consent obtained elsewhere, or not needed) starts granted. */
  constructor(mode = 'granted') {
    if (!CONSENT_MODES.includes(mode)) {
      throw new TypeError(`consent: expected one of ${CONSENT_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
    }
    this.mode = mode;
    this.#state = mode === 'required' ? 'pending' : 'granted';
  }

  /** 'pending' (required, not yet given), 'granted' or 'revoked'. */
  get state() {
    return this.#state;
  }

  /** True when storing and sending are allowed. */
  get granted() {
    return this.#state === 'granted';
  }

  grant() {
    this.#state = 'granted';
  }

  revoke() {
    this.#state = 'revoked';
  }

  /** After forget(): back to pending when consent is required, else unchanged. */
  reset() {
    if (this.mode === 'required') this.#state = 'pending';
  }
}
