/*
 * Passerelle search page (/recherche/): results from the Pagefind index of the built site.
 *
 * The index (generator/site/search.py) is cut into small compressed chunks: a query loads
 * Pagefind's script and WebAssembly once, then only the chunks of its words and the excerpts
 * of the results shown. Everything comes from this site (no other host), and the words
 * typed stay in the page's address (?q=…) so a search can be shared and walked back to.
 * No inline script or style: CSP `script-src 'self'`. Results are built as DOM nodes; an
 * excerpt keeps only Pagefind's <mark> highlighting, never any other markup.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 10;
  var TYPING_DELAY_MS = 200;

  var form = document.getElementById("pa-search");
  if (!form) return;
  var input = document.getElementById("pa-search-q");
  var status = document.getElementById("pa-search-status");
  var list = document.getElementById("pa-search-results");
  var more = document.getElementById("pa-search-more");
  document.getElementById("pa-search-nojs").hidden = true;

  var root = new URL(form.dataset.root, document.baseURI);
  var pagefind = null;
  var current = { query: "", results: [], shown: 0 };
  var generation = 0;
  var timer = null;

  function loadPagefind() {
    if (!pagefind) {
      pagefind = import(new URL(form.dataset.bundle + "pagefind.js", document.baseURI).href).then(function (module) {
        // Result URLs are written from the site's root; the site may live in a sub-folder.
        return module
          .options({ baseUrl: root.pathname, excerptLength: 24 })
          .then(function () {
            // The WebAssembly and the index's entry load now, while the person types.
            return module.init();
          })
          .then(function () {
            return module;
          });
      });
      pagefind.catch(function () {
        pagefind = null;
      });
    }
    return pagefind;
  }

  function plural(count, one, many) {
    return count.toLocaleString("fr-FR") + " " + (count > 1 ? many : one);
  }

  function setStatus(text) {
    status.textContent = text;
  }

  // Pagefind's excerpt is escaped text with <mark> around the words found: keep just that.
  function excerptNodes(html) {
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html").body.firstChild;
    var nodes = [];
    parsed.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        nodes.push(mark);
      } else {
        nodes.push(document.createTextNode(node.textContent));
      }
    });
    return nodes;
  }

  function resultItem(data) {
    var item = document.createElement("li");
    item.className = "pa-search__result";
    var link = document.createElement("a");
    link.className = "pa-search__title";
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    item.appendChild(link);
    var details = [data.meta.type, data.meta.lieu].filter(Boolean).map(function (text) {
      return text.replace(/\s+/g, " ").trim();
    });
    if (details.length) {
      var about = document.createElement("p");
      about.className = "pa-search__about";
      about.textContent = details.join(" · ");
      item.appendChild(about);
    }
    if (data.excerpt) {
      var excerpt = document.createElement("p");
      excerpt.className = "pa-search__excerpt";
      excerptNodes(data.excerpt).forEach(function (node) {
        excerpt.appendChild(node);
      });
      item.appendChild(excerpt);
    }
    return item;
  }

  function showNext(run) {
    var slice = current.results.slice(current.shown, current.shown + PAGE_SIZE);
    return Promise.all(
      slice.map(function (result) {
        return result.data();
      })
    ).then(function (pages) {
      if (run !== generation) return;
      var first = null;
      pages.forEach(function (data) {
        var item = resultItem(data);
        first = first || item;
        list.appendChild(item);
      });
      current.shown += pages.length;
      more.hidden = current.shown >= current.results.length;
      return first;
    });
  }

  function search(query) {
    var run = ++generation;
    query = query.trim();
    current = { query: query, results: [], shown: 0 };
    if (!query) {
      list.replaceChildren();
      list.hidden = true;
      more.hidden = true;
      setStatus("");
      return Promise.resolve();
    }
    return loadPagefind()
      .then(function (module) {
        return module.search(query);
      })
      .then(function (found) {
        if (run !== generation) return;
        current.results = found.results;
        list.replaceChildren();
        return showNext(run).then(function () {
          if (run !== generation) return;
          list.hidden = current.results.length === 0;
          setStatus(
            current.results.length
              ? plural(current.results.length, "résultat", "résultats") + " pour « " + query + " »."
              : "Aucun résultat pour « " + query + " ». Essayez un autre mot, un nom de ville ou un numéro de département, " +
                  "ou parcourez l'annuaire avec les liens ci-dessous."
          );
        });
      })
      .catch(function () {
        if (run !== generation) return;
        setStatus("La recherche n'a pas pu se charger. Rechargez la page, ou parcourez l'annuaire avec les liens ci-dessous.");
      });
  }

  function remember(query) {
    var url = new URL(window.location.href);
    if (query.trim()) url.searchParams.set("q", query.trim());
    else url.searchParams.delete("q");
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
    var run = generation;
    showNext(run).then(function (first) {
      if (!first) return;
      // Keyboard and screen reader users continue from the first new result.
      first.querySelector("a").focus();
      setStatus(plural(current.shown, "résultat affiché", "résultats affichés") + " sur " + current.results.length.toLocaleString("fr-FR") + ".");
    });
  });

  var initial = new URLSearchParams(window.location.search).get("q") || "";
  input.value = initial;
  if (initial.trim()) search(initial);
  // The page's one purpose: its box takes the focus, so that the results follow it in Tab
  // order, before the site's navigation.
  input.focus();
  loadPagefind();
})();
