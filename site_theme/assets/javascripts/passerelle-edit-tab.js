// The records editor of `passerelle edit` (generator/maintainers/editor.py): each browser tab says
// which it is on every request to the editor, so that a form is not saved over what another tab
// saved since this one read the record. Decap's local backend sends no version of the file it read.
(function () {
  "use strict";

  var API_PATH = "/api/v1";
  var bytes = new Uint8Array(8);
  window.crypto.getRandomValues(bytes);
  var tab = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  var send = window.fetch.bind(window);

  // Decap calls fetch with the address as a string.
  window.fetch = function (resource, options) {
    var url = typeof resource === "string" ? new URL(resource, window.location.href) : null;
    if (!url || url.origin !== window.location.origin || url.pathname !== API_PATH) {
      return send(resource, options);
    }
    var headers = new Headers((options && options.headers) || undefined);
    headers.set("X-Passerelle-Tab", tab);
    return send(resource, Object.assign({}, options, { headers: headers }));
  };
})();
