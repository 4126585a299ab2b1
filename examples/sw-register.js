// Registers the examples' service worker (sw.js: offline use after the first visit). Each page
// loads this module; registering again is harmless, and a browser without service workers (or a
// page opened from a file: URL) simply works online only.

if ('serviceWorker' in navigator && window.isSecureContext) {
  navigator.serviceWorker.register(new URL('./sw.js', import.meta.url)).catch((error) => {
    console.warn(`offline use is not available: ${error.message}`);
  });
}
