// Transport shim for expresscheckout-nodejs 1.0.0, loaded with `node --require`.
//
// The SDK is used unchanged; this only lets its requests reach an emulator that listens on
// plain HTTP at 127.0.0.1:PORT. Three things in the SDK's JuspayResource.makeServiceCall
// stop that (checked by running it against a plain http.createServer):
//   1. `isInsecureConnection = fullPath.protocol === 'http'` is never true (URL.protocol is
//      'http:'), so every request goes through https.request, even for http:// URLs;
//   2. it passes `host: fullPath.host`, which includes the port, so the DNS lookup of
//      "127.0.0.1:PORT" fails with ENOTFOUND: only URLs on the default port work;
//   3. it writes the body only after the socket's 'secureConnect' event, which a plain
//      TCP socket never emits.
// Against Juspay (https, port 443) none of this matters. The shim routes the SDK's
// https.request to http.request with the host's port removed (the port is passed
// separately), and emits 'secureConnect' when the plain socket connects. Headers, paths,
// bodies and response handling stay exactly the SDK's.
'use strict';
const http = require('http');
const https = require('https');

https.Agent = http.Agent;
https.request = function loopbackRequest(options, callback) {
  const plain = { ...options };
  if (typeof plain.host === 'string') {
    plain.host = plain.host.replace(/:\d+$/, '');
  }
  const request = http.request(plain, callback);
  request.once('socket', (socket) => {
    if (socket.connecting) {
      socket.once('connect', () => socket.emit('secureConnect'));
    }
  });
  return request;
};
