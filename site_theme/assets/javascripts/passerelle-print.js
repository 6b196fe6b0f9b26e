// « Imprimer la fiche » needs JavaScript: the buttons stay hidden without it, and a
// sentence explains the browser's own print command instead.
document.querySelectorAll("[data-pa-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
document.querySelectorAll("[data-pa-print-hint]").forEach(function (hint) {
  hint.hidden = true;
});

// A département's list folded by commune (_macros.html) prints whole: opened for the print,
// folded back after.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details.pa-commune:not([open])").forEach(function (details) {
    details.open = true;
    details.setAttribute("data-pa-folded", "");
  });
});
window.addEventListener("afterprint", function () {
  document.querySelectorAll("details[data-pa-folded]").forEach(function (details) {
    details.open = false;
    details.removeAttribute("data-pa-folded");
  });
});

// The printed sheet's QR code of the record's public address (slots/record_footer.html, only
// when site_url is public). Drawn in the browser because it cost more at build time than the
// rest of a record page; drawn at load,
// not on « Imprimer », so that the browser's own print command has it too. The encoder
// (assets/vendor/qrcode-generator) is loaded with `defer` by the record page, so it runs after
// this file: wait for DOMContentLoaded, which comes after deferred scripts.
(function () {
  var QUIET_ZONE = 4; // modules of white margin required around the code by the standard
  var SVG = "http://www.w3.org/2000/svg";

  function svgElement(name, attributes) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) {
      element.setAttribute(key, attributes[key]);
    });
    return element;
  }

  // One rectangle per horizontal run of dark modules: a few hundred bytes of path data.
  function qrSvg(text) {
    var code = qrcode(0, "M");
    code.addData(text);
    code.make();
    var count = code.getModuleCount();
    var size = String(count + 2 * QUIET_ZONE);
    var path = "";
    for (var row = 0; row < count; row++) {
      for (var col = 0; col < count; col++) {
        if (!code.isDark(row, col)) continue;
        var start = col;
        while (col < count && code.isDark(row, col)) col++;
        var width = col - start;
        path += "M" + (start + QUIET_ZONE) + " " + (row + QUIET_ZONE) + "h" + width + "v1h-" + width + "z";
      }
    }
    var svg = svgElement("svg", {
      viewBox: "0 0 " + size + " " + size,
      role: "img",
      "aria-label": "Code QR de l'adresse de cette fiche",
      "shape-rendering": "crispEdges",
    });
    svg.appendChild(svgElement("rect", { width: size, height: size, fill: "#fff" }));
    svg.appendChild(svgElement("path", { d: path, fill: "#000" }));
    return svg;
  }

  // Every sheet link under `root` (the page, or the sheets « Ma sélection » adds later).
  function drawSheetLinks(root) {
    (root || document).querySelectorAll("[data-pa-sheet-link]").forEach(function (block) {
      var container = block.querySelector("[data-pa-qr]");
      // `href` is plain ASCII (percent-encoded path, punycode host): the bytes the code holds.
      var url = new URL(container.dataset.qrUrl).href;
      if (typeof qrcode === "function") container.replaceChildren(qrSvg(url));
    });
  }

  window.PasserelleSheets = { drawLinks: drawSheetLinks };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawSheetLinks(); });
  } else {
    drawSheetLinks();
  }
})();
