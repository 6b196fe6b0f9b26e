/*
 * Passerelle: the words of a text as the site's indexes hold them, a mirror of
 * generator.geo.gazetteer.normalize (lower case, œ/æ spelt out, accents and
 * punctuation gone, « st » → « saint »). Shared by passerelle-finder.js (commune
 * names) and passerelle-search.js (the search index), loaded before them.
 */
(function () {
  "use strict";

  var ABBREVIATIONS = { st: "saint", ste: "sainte", sts: "saints", stes: "saintes" };

  function normalizedWords(text) {
    if (typeof text !== "string") return [];
    var s = text.toLowerCase().split("œ").join("oe").split("æ").join("ae");
    // Python's [\W_]+: anything but a letter or a number, before accents go.
    s = s.replace(/[^\p{L}\p{N}]+/gu, " ");
    s = s.normalize("NFKD").replace(/[^\x00-\x7f]/g, "");
    return s
      .split(/[ \t\n\v\f\r\x1c-\x1f]+/)
      .filter(Boolean)
      .map(function (word) { return ABBREVIATIONS[word] || word; });
  }

  window.PasserelleWords = { normalizedWords: normalizedWords };
})();
