// MkDocs' live reload (mkdocs/livereload/__init__.py, BSD-2-Clause), as a file: the site's
// Content-Security-Policy refuses inline scripts. `mkdocs serve` only (engines/mkdocs/preview.py).
// The server answers /livereload/<epoch>/<request> when the site is newer than <epoch>.
(function () {
  var script = document.currentScript;
  var epoch = parseFloat(script.dataset.epoch);
  var requestId = script.dataset.request;
  var req, timeout;

  var poll = function () {
    req = new XMLHttpRequest();
    req.onloadend = function () {
      if (parseFloat(this.responseText) > epoch) {
        location.reload();
      } else {
        timeout = setTimeout(poll, this.status === 200 ? 0 : 3000);
      }
    };
    req.open("GET", "/livereload/" + epoch + "/" + requestId);
    req.send();
  };

  var stop = function () {
    if (req) {
      req.abort();
    }
    if (timeout) {
      clearTimeout(timeout);
    }
    req = timeout = undefined;
  };

  var start = function () {
    if (document.visibilityState === "visible") {
      poll();
    }
  };
  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("load", start);
  }
  window.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      poll();
    } else {
      stop();
    }
  });
  window.addEventListener("beforeunload", stop);
})();
