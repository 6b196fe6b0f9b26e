// The header's search box (partials/search.html) opens the search page with the words in the
// address's fragment (/recherche/#q=…), which browsers never send to the server: what a visitor
// looks for — a town, a disorder — stays out of the host's logs, as the finder keeps a position.
// Without JavaScript the form still sends ?q=…, but the search page cannot run without it anyway.
(function () {
  "use strict";

  document.querySelectorAll("form.pa-search-box").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var fragment = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (String(value).trim()) fragment.set(name, String(value).trim());
      });
      var target = new URL(form.action);
      target.search = "";
      target.hash = fragment.toString();
      window.location.assign(target.href);
    });
  });
})();
