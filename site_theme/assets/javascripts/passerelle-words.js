/*
 * Passerelle: the words of a text as the site's indexes hold them, a mirror of
 * generator.geo.gazetteer.normalize (lower case, œ/æ spelt out, accents and
 * punctuation gone, « st » → « saint »), how many slips of the keyboard part
 * two of them, and what a word with a slip in its first two letters was meant
 * as. Shared by passerelle-finder.js (commune names) and passerelle-search.js
 * (the search index), loaded before them.
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

  // How many slips (a letter changed, added or removed, two side by side swapped) turn a into b;
  // limit + 1 for anything beyond `limit`.
  function slips(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var before = [];
    var previous = [];
    for (var j = 0; j <= b.length; j++) previous.push(j);
    for (var i = 1; i <= a.length; i++) {
      var row = [i];
      var least = i;
      for (j = 1; j <= b.length; j++) {
        var value = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2] + 1);
        row.push(value);
        least = Math.min(least, value);
      }
      if (least > limit) return limit + 1;
      before = previous;
      previous = row;
    }
    return Math.min(previous[b.length], limit + 1);
  }

  // How many slips a typed word may hide: none below NEAR_FROM letters (a short word has too many
  // neighbours to guess), two from TWO_SLIPS_FROM on.
  var NEAR_FROM = 5;
  var TWO_SLIPS_FROM = 8;

  function slipsAllowed(word) {
    if (word.length < NEAR_FROM) return 0;
    return word.length >= TWO_SLIPS_FROM ? 2 : 1;
  }

  // The items fewest slips away from `word`, if any is within reach, in their order; `slipsTo(item, limit)`
  // counts them (`slips` of the item's words, up to `limit`).
  function nearest(word, items, slipsTo) {
    var limit = slipsAllowed(word);
    if (!limit) return [];
    var best = limit + 1;
    var near = [];
    items.forEach(function (item) {
      var count = slipsTo(item, limit);
      if (count < best) { best = count; near = []; }
      if (count === best && count <= limit) near.push(item);
    });
    return near;
  }

  // A slip in a word's first two letters puts it among the words starting otherwise: the search and
  // the finder look there only for the words it may have been meant as. On a phone, a slip is most
  // often a key beside the right one on the French keyboard (AZERTY); or the first two letters
  // swapped, or a letter typed before the word.
  var BESIDE = {
    a: "zq", z: "aeqs", e: "zrsd", r: "etdf", t: "ryfg", y: "tugh", u: "yihj", i: "uojk", o: "ipkl", p: "olm",
    q: "azsw", s: "qdzewx", d: "sferxc", f: "dgrtcv", g: "fhtyvb", h: "gjyubn", j: "hkuin", k: "jlio", l: "kmop", m: "lp",
    w: "qsx", x: "wcsd", c: "xvdf", v: "cbfg", b: "vngh", n: "bhj"
  };

  // What `word` may have been meant as, with a slip in its first two letters (as above).
  function slippedStarts(word) {
    var first = word[0];
    var second = word[1];
    var rest = word.slice(2);
    var meant = [second + first + rest, word.slice(1)];
    (BESIDE[first] || "").split("").forEach(function (key) { meant.push(key + second + rest); });
    (BESIDE[second] || "").split("").forEach(function (key) { meant.push(first + key + rest); });
    return meant;
  }

  window.PasserelleWords = {
    normalizedWords: normalizedWords, slips: slips, slipsAllowed: slipsAllowed, nearest: nearest, slippedStarts: slippedStarts
  };
})();
