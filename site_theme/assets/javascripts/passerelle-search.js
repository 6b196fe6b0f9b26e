/*
 * Passerelle search page (/recherche/): results from the site's search index (generator/site/search.py).
 *
 * The index is cut into small files: a query downloads the file of each of its words' first two
 * letters (every word starting so, with the documents holding it and how strongly), then the
 * titles and excerpts of the results it shows. A word that starts no word of the index is searched
 * by the words a slip of the keyboard away from it, and the answer says so.
 * Everything comes from this site (no other host),
 * and the words typed stay in the page's address, in its fragment (#q=…, never sent to the server:
 * passerelle-search-box.js), so a search can be shared and walked back to. No inline script or style: CSP `script-src 'self'`. Results are built as DOM nodes
 * from text, never from markup. Coming from an easy-read page (#facile=1), a record's result
 * leads to its easy-read version.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 10;
  var TYPING_DELAY_MS = 200;
  // The index's format, as generator/site/search.py writes it.
  var WEIGHT_BASE = 16;
  var PREFIX = 2;
  // A word found only as the start of a longer one counts a quarter: « 92 » in a title (« 92260 »)
  // ranks below the exact « 92 » of a record in the Hauts-de-Seine.
  var PREFIX_DIVISOR = 4;
  // A word that starts no word of the index may be mistyped: the words as close to it as a slip of
  // the keyboard (a letter wrong, missing or added, or two side by side swapped; two slips in a
  // long word) are searched instead, among those with its first two letters (one file), and the
  // answer says so. How many slips, and from how many letters: passerelle-words.js.
  // A slip in the first two letters puts the word in another file: only the files of what it may
  // have been meant as are looked in (a dozen at most, those that exist; passerelle-words.js).
  var STOP_WORDS = new Set(
    ("au aux avec ce ces dans de des du elle en est et il ils la le les leur lui ma mais me mes mon ne nos notre nous on " +
      "ou par pas pour qu que qui sa se ses son sur ta te tes ton tu un une vos votre vous").split(" ")
  );

  // --- Words: mirror generator.site.search.words exactly (normalized by passerelle-words.js) ---

  function stem(word) {
    if (/^[0-9]+$/.test(word)) return word;
    if (word.length > 4 && /aux$/.test(word)) word = word.slice(0, -3) + "al";
    else if (word.length > 3 && /[sx]$/.test(word)) word = word.slice(0, -1);
    for (var i = 0; i < 2; i++) {
      if (word.length > 4 && word.slice(-1) === "e") word = word.slice(0, -1);
    }
    if (word.length > 5 && /er$/.test(word)) word = word.slice(0, -2);
    return word;
  }

  // The words of a query as typed (normalized), before their stems.
  function typedWords(text) {
    return window.PasserelleWords.normalizedWords(text).filter(function (word) { return word.length >= PREFIX && !STOP_WORDS.has(word); });
  }

  function words(text) {
    return typedWords(text).map(stem);
  }

  // The words of `known` fewest slips away from `term`, if any is within reach.
  function nearWords(term, known) {
    return window.PasserelleWords.nearest(term, known, function (word, limit) { return window.PasserelleWords.slips(term, word, limit); });
  }

  // The first two letters of the words `term` may have been meant as.
  function slippedPrefixes(term) {
    return window.PasserelleWords.slippedStarts(term).map(function (meant) { return meant.slice(0, PREFIX); });
  }

  // --- The index ---------------------------------------------------------------------------

  function Index(base) {
    this.base = base;
    this.files = new Map();
    // Always asked again (a new build changes it); the other files carry its version.
    this.entry = fetch(new URL("index.json", base), { cache: "no-cache" }).then(json).then(function (entry) {
      entry.prefixes = new Set(entry.prefixes.split(" "));
      return entry;
    });
  }

  function json(response) {
    if (!response.ok) throw new Error(response.url + ": " + response.status);
    return response.json();
  }

  Index.prototype.file = function (name) {
    var self = this;
    if (!self.files.has(name)) {
      var loading = self.entry.then(function (entry) {
        return fetch(new URL(name + "?v=" + entry.version, self.base)).then(json);
      });
      loading.catch(function () { self.files.delete(name); });
      self.files.set(name, loading);
    }
    return self.files.get(name);
  };

  // The words of the index starting with `prefix`, each with its documents (none if no word does).
  Index.prototype.wordsFrom = function (entry, prefix) {
    return entry.prefixes.has(prefix) ? this.file("mots/" + prefix + ".json") : Promise.resolve({});
  };

  // Documents holding a word that starts with `term`, with their weight (a quarter for a longer
  // word); none starting so, those holding the words near it (`near`), a quarter too: in its own
  // file first, then in those of a slip in its first two letters.
  Index.prototype.matches = function (term) {
    var self = this;
    return self.entry.then(function (entry) {
      return self.wordsFrom(entry, term.slice(0, PREFIX)).then(function (byWord) {
        var known = Object.keys(byWord);
        var starting = known.filter(function (word) { return word.lastIndexOf(term, 0) === 0; });
        if (starting.length) return weighed(byWord, starting, term, []);
        var near = nearWords(term, known);
        if (near.length || !window.PasserelleWords.slipsAllowed(term)) return weighed(byWord, near, term, near);
        var prefixes = slippedPrefixes(term).filter(function (prefix) { return prefix !== term.slice(0, PREFIX) && entry.prefixes.has(prefix); });
        return Promise.all(prefixes.map(function (prefix) { return self.wordsFrom(entry, prefix); })).then(function (files) {
          var all = Object.assign.apply(null, [{}].concat(files));
          var slipped = nearWords(term, Object.keys(all));
          return weighed(all, slipped, term, slipped);
        });
      });
    });
  };

  // The documents holding `words`, each with its weight; `near`: the words found near the term.
  function weighed(byWord, words, term, near) {
    var documents = new Map();
    words.forEach(function (word) {
      var divisor = word === term ? 1 : PREFIX_DIVISOR;
      var number = 0;
      byWord[word].forEach(function (value) {
        number += Math.floor(value / WEIGHT_BASE);
        var weight = (value % WEIGHT_BASE) / divisor;
        if (!(documents.get(number) >= weight)) documents.set(number, weight);
      });
    });
    return { documents: documents, near: near };
  }

  // Numbers of the documents holding every word of `query` (or a word near it), best first; the
  // words to mark in excerpts; the words typed that were searched by their near words.
  Index.prototype.search = function (query) {
    var typed = typedWords(query);
    var terms = Array.from(new Set(typed.map(stem)));
    if (!terms.length) return Promise.resolve({ numbers: [], terms: [], near: [] });
    return Promise.all(terms.map(this.matches, this)).then(function (matched) {
      var found = matched.map(function (match) { return match.documents; });
      found.sort(function (a, b) { return a.size - b.size; });
      var ranked = [];
      found[0].forEach(function (weight, number) {
        var score = weight;
        for (var i = 1; i < found.length; i++) {
          if (!found[i].has(number)) return;
          score += found[i].get(number);
        }
        ranked.push({ number: number, score: score });
      });
      ranked.sort(function (a, b) { return b.score - a.score || a.number - b.number; });
      var marked = terms.slice();
      var near = [];
      matched.forEach(function (match, i) {
        if (!match.near.length) return;
        marked = marked.concat(match.near);
        near.push(typed.find(function (word) { return stem(word) === terms[i]; }));
      });
      return { terms: marked, numbers: ranked.map(function (result) { return result.number; }), near: near };
    });
  };

  Index.prototype.documents = function (numbers) {
    var self = this;
    return self.entry.then(function (entry) {
      return Promise.all(
        numbers.map(function (number) {
          return self.file("fiches/" + Math.floor(number / entry.per_file) + ".json").then(function (rows) {
            var row = rows[number % entry.per_file];
            return { url: row[0], title: row[1], about: row[2], excerpt: row[3], easyRead: row[4] };
          });
        })
      );
    });
  };

  // --- The page ------------------------------------------------------------------------------

  var form = document.getElementById("pa-search");
  if (!form) return;
  var input = document.getElementById("pa-search-q");
  var status = document.getElementById("pa-search-status");
  var list = document.getElementById("pa-search-results");
  var more = document.getElementById("pa-search-more");
  // A région's site (option regions) says which régions it covers: a place searched
  // elsewhere has no result here, which does not mean there is none.
  var scope = document.querySelector(".pa-scope");
  document.getElementById("pa-search-nojs").hidden = true;

  var root = new URL(form.dataset.root, document.baseURI);
  // What the address asks: in its fragment, or in its query for a form sent without JavaScript.
  var asked = new URLSearchParams(window.location.hash.slice(1));
  var sent = new URLSearchParams(window.location.search);
  function askedFor(name) {
    return asked.has(name) ? asked.get(name) : sent.get(name);
  }
  var easyRead = askedFor("facile") === "1";
  var index = null;
  var current = { results: [], terms: [], shown: 0 };
  var generation = 0;
  var timer = null;

  function openIndex() {
    if (!index) {
      index = new Index(new URL(form.dataset.bundle, document.baseURI));
      // A failed load is tried again at the next query.
      index.entry.catch(function () { index = null; });
    }
    return index;
  }

  function plural(count, one, many) {
    return count.toLocaleString("fr-FR") + " " + (count > 1 ? many : one);
  }

  // The words of `text` that a query term starts, marked.
  function highlighted(text, terms) {
    var nodes = [];
    var last = 0;
    text.replace(/[\p{L}\p{N}]+/gu, function (token, offset) {
      var tokenStem = words(token)[0];
      if (!tokenStem || !terms.some(function (term) { return tokenStem.lastIndexOf(term, 0) === 0; })) return token;
      nodes.push(document.createTextNode(text.slice(last, offset)));
      var mark = document.createElement("mark");
      mark.textContent = token;
      nodes.push(mark);
      last = offset + token.length;
      return token;
    });
    nodes.push(document.createTextNode(text.slice(last)));
    return nodes;
  }

  function resultItem(found) {
    var item = document.createElement("li");
    item.className = "pa-search__result";
    var link = document.createElement("a");
    link.className = "pa-search__title";
    link.href = new URL(easyRead && found.easyRead ? found.easyRead : found.url, root).href;
    link.textContent = found.title;
    item.appendChild(link);
    if (found.about) {
      var about = document.createElement("p");
      about.className = "pa-search__about";
      about.textContent = found.about;
      item.appendChild(about);
    }
    if (found.excerpt) {
      var excerpt = document.createElement("p");
      excerpt.className = "pa-search__excerpt";
      highlighted(found.excerpt, current.terms).forEach(function (node) { excerpt.appendChild(node); });
      item.appendChild(excerpt);
    }
    return item;
  }

  function showNext(run) {
    var numbers = current.results.slice(current.shown, current.shown + PAGE_SIZE);
    return openIndex().documents(numbers).then(function (documents) {
      if (run !== generation) return null;
      var items = documents.map(resultItem);
      items.forEach(function (item) { list.appendChild(item); });
      current.shown += items.length;
      more.hidden = current.shown >= current.results.length;
      return items[0] || null;
    });
  }

  // The list's place was kept while the first answer came (aria-busy, passerelle-awaited.js).
  function answered() {
    list.removeAttribute("aria-busy");
  }

  // The finder, as the next step of a search without result: no page names a town or a postcode
  // where no record is, and the finder gives the nearest places instead of « none ». What was typed
  // is handed over, a postcode as such, any other text as a town's name (« lieu »), which the finder
  // searches, offers to choose among homonyms or near names, or says it does not know.
  function finderLink(query, text) {
    var url = new URL(form.dataset.finder, document.baseURI);
    url.searchParams.set(/^\d{5}$/.test(query) ? "cp" : "lieu", query);
    var finder = document.createElement("a");
    finder.href = url.href;
    finder.textContent = text;
    return finder;
  }

  function noResult(query) {
    status.replaceChildren(
      "Aucun résultat pour « " + query + " ». " + (scope ? scope.textContent + " " : "") +
        "Essayez un autre mot ou un numéro de département, ou parcourez l'annuaire avec les liens ci-dessous. " +
        "Pour les lieux les plus proches d'une ville ou d'un code postal : ",
      finderLink(query, "Trouver un lieu"),
      "."
    );
  }

  // Coming from an easy-read page: short sentences, and the finder as the next step rather than
  // the directory's lists, named by acronyms.
  function noEasyReadResult(query) {
    status.replaceChildren(
      "Nous n'avons rien trouvé pour « " + query + " ». " + (scope ? scope.textContent + " " : "") +
        "Essayez un autre mot, par exemple le nom de votre ville. Vous pouvez aussi chercher avec votre code postal : ",
      finderLink(query, "Trouver un lieu près de chez vous")
    );
  }

  // Said whenever near words were searched: the results are not those of the word typed.
  function nearNote(near) {
    if (!near.length) return "";
    var quoted = near.map(function (word) { return "« " + word + " »"; }).join(", ");
    return " Nous n'avons pas trouvé " + (near.length > 1 ? "les mots " : "le mot ") + quoted + ". Nous avons cherché des mots qui " +
      (near.length > 1 ? "leur" : "lui") + " ressemblent.";
  }

  function search(query) {
    var run = ++generation;
    query = query.trim();
    current = { results: [], terms: [], shown: 0 };
    if (!query) {
      list.replaceChildren();
      list.hidden = true;
      more.hidden = true;
      status.textContent = "";
      answered();
      return Promise.resolve();
    }
    return openIndex()
      .search(query)
      .then(function (found) {
        if (run !== generation) return;
        current.results = found.numbers || [];
        current.terms = found.terms || [];
        list.replaceChildren();
        return showNext(run).then(function () {
          if (run !== generation) return;
          list.hidden = current.results.length === 0;
          if (current.results.length) {
            status.textContent = plural(current.results.length, "résultat", "résultats") + " pour « " + query + " »." + nearNote(found.near);
          } else if (easyRead) {
            noEasyReadResult(query);
          } else {
            noResult(query);
          }
          answered();
        });
      })
      .catch(function () {
        if (run !== generation) return;
        status.textContent = "La recherche n'a pas pu se charger. Rechargez la page, ou parcourez l'annuaire avec les liens ci-dessous.";
        answered();
      });
  }

  function remember(words) {
    var url = new URL(window.location.href);
    url.searchParams.delete("q");
    url.searchParams.delete("facile");
    var fragment = new URLSearchParams();
    if (words.trim()) fragment.set("q", words.trim());
    if (easyRead) fragment.set("facile", "1");
    url.hash = fragment.toString();
    window.history.replaceState(null, "", url);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      remember(input.value);
      search(input.value);
    }, TYPING_DELAY_MS);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    remember(input.value);
    search(input.value);
  });

  more.addEventListener("click", function () {
    showNext(generation).then(function (first) {
      if (!first) return;
      // Keyboard and screen reader users continue from the first new result.
      first.querySelector("a").focus();
      status.textContent =
        plural(current.shown, "résultat affiché", "résultats affichés") + " sur " + current.results.length.toLocaleString("fr-FR") + ".";
    });
  });

  var initial = askedFor("q") || "";
  input.value = initial;
  openIndex();
  search(initial);
  // The page's one purpose: its box takes the focus, so that the results follow it in Tab
  // order, before the site's navigation.
  input.focus();
})();
