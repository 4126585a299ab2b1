// Putting decision payloads on the page. Payloads come from rules configs, which may be edited by
// people other than the page's developers, so they are inserted as text: a payload of
// "<img src=x onerror=...>" shows those characters and runs nothing. HTML is inserted only through
// a sanitizer the caller supplies (for example DOMPurify.sanitize), never as given.

/**
 * Renders `payload` into `element`:
 * - a string or number: as the element's text;
 * - { text }: as the element's text;
 * - { html }: through options.sanitize(html) (required; throws without one), whose result is
 *   set as the element's HTML (a TrustedHTML from a Trusted Types policy is accepted too);
 * - null or undefined: the element is emptied.
 * Anything else throws a TypeError. Returns the element.
 */
export function renderPayload(element, payload, options = {}) {
  if (payload === null || payload === undefined) {
    element.textContent = '';
  } else if (typeof payload === 'string' || typeof payload === 'number') {
    element.textContent = String(payload);
  } else if (typeof payload === 'object' && typeof payload.text === 'string') {
    element.textContent = payload.text;
  } else if (typeof payload === 'object' && typeof payload.html === 'string') {
    if (typeof options.sanitize !== 'function') {
      throw new TypeError('renderPayload: an { html } payload needs options.sanitize (e.g. DOMPurify.sanitize); it is never inserted raw');
    }
    element.innerHTML = options.sanitize(payload.html);
  } else {
    throw new TypeError('renderPayload: expected a string, a number, { text } or { html }');
  }
  return element;
}
