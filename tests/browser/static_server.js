// The browser tests serve the repository with the examples' server (examples/static_server.js):
// the same MIME types, strict Content-Security-Policy and `idb` import resolution `npm start` uses.
export { startStaticServer, PAGE_POLICY } from '../../examples/static_server.js';
