// Pages whose script answers what their address asks (the finder, the search): opened with a
// question (in the address's query or fragment, or kept by the history after a reload), their
// answers' box is marked aria-busy before the rest of the page is read, so that passerelle.css
// keeps the answers' place from the first paint and what follows does not jump down when they
// come. Loaded without `defer` right after the box, named by the tag's data-box; the page's own
// script removes aria-busy when it has answered, or at once when there was nothing to answer.
(function () {
  var asked = location.search.length > 1 || location.hash.indexOf("=") > 0 || !!history.state;
  if (asked) document.getElementById(document.currentScript.dataset.box).setAttribute("aria-busy", "true");
})();
