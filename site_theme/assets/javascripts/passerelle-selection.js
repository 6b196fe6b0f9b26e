// « Ma sélection » (generator/site/selection.py): records a visitor keeps to print together
// or to share. The selection is kept in this browser's localStorage only: no account, no
// cookie, nothing sent anywhere. A shared link carries the ids in its fragment (#ids=a,b),
// which browsers never send to a server. /selection/ reads each record's sheet from its
// page, but asks for the pages of a whole group of records (groupOf, a hash of the id):
// the server cannot tell which of the group was chosen.
//
// Loaded by record pages (a button in [data-pa-selection-toggle]), by the finder (which
// asks PasserelleSelection.button for each result's button) and by /selection/ (#pa-selection).
(function () {
  "use strict";

  var KEY = "passerelle-selection";
  var ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/; // generator/records/models.py, ID_PATTERN
  var ADD = "Ajouter à ma sélection";
  var REMOVE = "Retirer de ma sélection";

  function structures(count) {
    return count + (count > 1 ? " structures" : " structure");
  }

  function countSentence(count) {
    return count ? "Votre sélection compte " + structures(count) + "." : "Votre sélection est vide.";
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // --- The selection: [{id, nom}] in the order of choice -------------------------
  var store = {
    // Storage may be blocked (settings, some private modes): then nothing can be kept.
    available: (function () {
      try {
        localStorage.setItem(KEY + "-essai", "1");
        localStorage.removeItem(KEY + "-essai");
        return true;
      } catch (error) {
        return false;
      }
    })(),
    items: function () {
      if (!this.available) return [];
      var items;
      try {
        items = JSON.parse(localStorage.getItem(KEY) || "[]");
      } catch (error) {
        return [];
      }
      if (!Array.isArray(items)) return [];
      var seen = {};
      return items
        .filter(function (item) {
          var valid = item && typeof item.id === "string" && ID.test(item.id) && !seen[item.id];
          if (valid) seen[item.id] = true;
          return valid;
        })
        .map(function (item) {
          return { id: item.id, nom: typeof item.nom === "string" ? item.nom : "" };
        });
    },
    save: function (items) {
      try {
        localStorage.setItem(KEY, JSON.stringify(items));
      } catch (error) {
        // Storage full or blocked since the page was opened: the page shows what is kept.
      }
    },
    indexOf: function (items, id) {
      for (var i = 0; i < items.length; i++) if (items[i].id === id) return i;
      return -1;
    },
  };

  // The same as group_of in generator/site/selection.py: FNV-1a (32 bits) of the id.
  function groupOf(id, groups) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < id.length; i++) {
      hash ^= id.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash % groups;
  }

  // --- Announcements: one polite live region, in the page before anything is said ---
  var status = null;

  function ensureStatus() {
    if (status) return;
    status = document.querySelector("[data-pa-selection-status]");
    if (!status) {
      status = element("p", "pa-visually-hidden");
      status.setAttribute("role", "status");
      (document.querySelector("main") || document.body).appendChild(status);
    }
  }

  function announce(text) {
    ensureStatus();
    // Emptied first, so that the same sentence twice is said twice.
    status.textContent = "";
    setTimeout(function () {
      status.textContent = text;
    }, 100);
  }

  // --- « Ajouter à ma sélection » buttons -------------------------------------------
  function refreshButtons() {
    var items = store.items();
    document.querySelectorAll("[data-pa-select]").forEach(function (button) {
      var chosen = store.indexOf(items, button.dataset.paSelect) >= 0;
      button.querySelector(".pa-selection-button__label").textContent = chosen ? REMOVE : ADD;
    });
    document.querySelectorAll("[data-pa-selection-link]").forEach(function (link) {
      link.hidden = !items.length;
      link.querySelector("[data-pa-selection-count]").textContent = structures(items.length);
    });
  }

  function toggle(id, name) {
    var items = store.items();
    var at = store.indexOf(items, id);
    if (at >= 0) items.splice(at, 1);
    else items.push({ id: id, nom: name });
    store.save(items);
    refreshButtons();
    announce((at >= 0 ? "Retiré de votre sélection : " : "Ajouté à votre sélection : ") + name + ". " + countSentence(items.length));
  }

  // A record's button; null when nothing can be kept. Its name ends with the record's
  // name (hidden), so that a list of results has distinct buttons.
  function button(id, name) {
    if (!store.available || !ID.test(id)) return null;
    ensureStatus();
    var node = element("button", "md-button pa-selection-button");
    node.type = "button";
    node.dataset.paSelect = id;
    node.appendChild(element("span", "pa-selection-button__label", store.indexOf(store.items(), id) >= 0 ? REMOVE : ADD));
    node.appendChild(element("span", "pa-visually-hidden", " : " + name));
    node.addEventListener("click", function () {
      toggle(id, name);
    });
    return node;
  }

  // --- /selection/ --------------------------------------------------------------------
  // What a shared link (#ids=a,b,c) holds: {ids, unreadable}, the number of parts that are
  // no record id (a link cut or changed on its way); null when the page shows the visitor's own.
  function sharedLink() {
    var match = /(?:^#|&)ids=([^&]*)/.exec(location.hash);
    if (!match) return null;
    var text;
    try {
      text = decodeURIComponent(match[1]);
    } catch (error) {
      return { ids: [], unreadable: 1 };
    }
    var seen = {};
    var link = { ids: [], unreadable: 0 };
    text.split(",").forEach(function (part) {
      if (!part || seen[part]) return;
      seen[part] = true;
      if (ID.test(part)) link.ids.push(part);
      else link.unreadable += 1;
    });
    return link;
  }

  function SelectionPage(root) {
    this.root = root;
    this.groups = Number(root.dataset.groups) || 1;
    this.groupsBase = new URL(root.dataset.groupsUrl, document.baseURI);
    this.recordsBase = new URL(root.dataset.records, document.baseURI);
    this.requests = {}; // group number → promise of its ids
    this.pages = {}; // group number → promise of {record id: page HTML, or null if it could not be read}
    this.entries = [];
    this.shared = false;
    this.unreadable = 0;
    this.generation = 0;
    this.title = root.querySelector("#pa-selection-title");
    this.list = root.querySelector("[data-pa-list]");
    this.sheets = document.querySelector("[data-pa-sheets]");
    this.linkField = root.querySelector("[data-pa-link-field]");
  }

  SelectionPage.prototype.part = function (name) {
    return this.root.querySelector("[data-pa-" + name + "]");
  };

  SelectionPage.prototype.start = function () {
    var self = this;
    this.root.hidden = false;
    this.part("print-all").addEventListener("click", function () {
      window.print();
    });
    this.part("copy").addEventListener("click", function () {
      self.copyLink();
    });
    this.part("clear").addEventListener("click", function () {
      store.save([]);
      self.render(true).then(function () {
        announce("Votre sélection est vide.");
      });
    });
    this.part("keep").addEventListener("click", function () {
      self.keep();
    });
    window.addEventListener("hashchange", function () {
      self.render(false);
    });
    this.render(false);
  };

  // Revalidated every time (a group or a page cached from an older build could lack a record
  // added since), and asked again at the next render if it failed.
  function fetchFresh(url, read) {
    return fetch(url, { cache: "no-cache" }).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + response.url);
      return read(response);
    });
  }

  SelectionPage.prototype.group = function (number) {
    var self = this;
    if (!this.requests[number]) {
      this.requests[number] = fetchFresh(new URL(number + ".json", this.groupsBase), function (response) {
        return response.json();
      });
      this.requests[number].catch(function () {
        delete self.requests[number];
      });
    }
    return this.requests[number];
  };

  // Every page of the group, whichever records of it were chosen.
  SelectionPage.prototype.pagesOf = function (number, ids) {
    var self = this;
    if (!this.pages[number]) {
      this.pages[number] = Promise.all(
        ids.map(function (id) {
          return fetchFresh(new URL(id + "/", self.recordsBase), function (response) {
            return response.text();
          }).catch(function () {
            return null;
          });
        })
      ).then(function (texts) {
        var pages = {};
        ids.forEach(function (id, at) {
          pages[id] = texts[at];
        });
        return pages;
      });
    }
    return this.pages[number];
  };

  // Parts of a record page for the screen only (its buttons, its map, the key of its partners'
  // badges…), and the sections its print leaves out (« Print » in passerelle.css, by their
  // heading's id): not in a sheet.
  var SCREEN_ONLY = ".pa-record-actions, .pa-map-block, .pa-easy-read-link, .pa-selection-toggle, .pa-status-key, script, link, style";
  var NOT_PRINTED = ["territoire", "partenaires", "sources"];

  // A record page's sheet as it prints, made to live in this page: its links point where
  // they did on the record page, its ids (repeated from sheet to sheet) are dropped.
  SelectionPage.prototype.parseSheet = function (id, html) {
    var sheet = new DOMParser().parseFromString(html, "text/html").querySelector("article.pa-record");
    if (!sheet) return null;
    var base = new URL(id + "/", this.recordsBase);
    sheet.querySelectorAll(SCREEN_ONLY).forEach(function (node) {
      node.remove();
    });
    NOT_PRINTED.forEach(function (section) {
      var heading = sheet.querySelector("h2#" + section);
      if (!heading) return;
      var list = heading.nextElementSibling;
      if (list && list.tagName === "UL") list.remove();
      heading.remove();
    });
    sheet.querySelectorAll("[href]").forEach(function (node) {
      node.setAttribute("href", new URL(node.getAttribute("href"), base).href);
    });
    sheet.querySelectorAll("[id]").forEach(function (node) {
      node.removeAttribute("id");
    });
    return document.importNode(sheet, true);
  };

  // Each record with its sheet (state "found"), or "missing" (no longer in the
  // directory), or "failed" (its file could not be loaded).
  SelectionPage.prototype.load = function (items) {
    var self = this;
    return Promise.all(
      items.map(function (item) {
        var number = groupOf(item.id, self.groups);
        return self.group(number).then(
          function (ids) {
            if (ids.indexOf(item.id) < 0) return { id: item.id, nom: item.nom, state: "missing" };
            return self.pagesOf(number, ids).then(function (pages) {
              if (pages[item.id] === null) {
                delete self.pages[number]; // read again at the next render
                return { id: item.id, nom: item.nom, state: "failed" };
              }
              var sheet = self.parseSheet(item.id, pages[item.id]);
              if (!sheet) return { id: item.id, nom: item.nom, state: "missing" };
              return { id: item.id, nom: sheet.querySelector("h1").textContent.trim(), state: "found", sheet: sheet };
            });
          },
          function () {
            return { id: item.id, nom: item.nom, state: "failed" };
          }
        );
      })
    );
  };

  SelectionPage.prototype.render = function (focusTitle) {
    var self = this;
    var generation = ++this.generation;
    var own = store.items();
    var shared = sharedLink();
    var items = shared
      ? shared.ids.map(function (id) {
          var at = store.indexOf(own, id);
          return { id: id, nom: at >= 0 ? own[at].nom : "" };
        })
      : own;
    return this.load(items).then(function (entries) {
      if (generation !== self.generation) return;
      self.entries = entries;
      self.shared = shared !== null;
      self.unreadable = shared ? shared.unreadable : 0;
      self.show();
      if (focusTitle) self.title.focus();
    });
  };

  SelectionPage.prototype.found = function () {
    return this.entries.filter(function (entry) {
      return entry.state === "found";
    });
  };

  SelectionPage.prototype.show = function () {
    var self = this;
    var own = store.items();
    var count = this.entries.length;
    var found = this.found();
    var missing = count - found.length;
    this.part("shared").hidden = !this.shared;
    this.part("shared-own").hidden = !own.length;
    this.part("own-count").textContent = structures(own.length);
    this.part("keep-field").hidden = !store.available || !found.length;
    this.part("no-storage").hidden = store.available;
    this.part("unreadable").hidden = !this.unreadable;
    if (this.shared) this.title.textContent = count ? "Sélection reçue : " + structures(count) : "Ce lien ne contient aucune structure";
    else this.title.textContent = count ? "Votre sélection : " + structures(count) : "Votre sélection est vide";
    this.part("empty").hidden = this.shared || count > 0 || !store.available;
    this.list.replaceChildren.apply(
      this.list,
      this.entries.map(function (entry) {
        return self.item(entry);
      })
    );
    this.sheets.replaceChildren.apply(
      this.sheets,
      found.map(function (entry) {
        return entry.sheet;
      })
    );
    if (window.PasserelleSheets) window.PasserelleSheets.drawLinks(this.sheets); // QR codes (passerelle-print.js)
    this.part("actions").hidden = count === 0;
    this.part("print-all").hidden = !found.length;
    var hint = found.length === 1 ? "Une fiche, sur une page." : found.length + " fiches, une par page.";
    if (missing) hint += " Les fiches qui ne sont pas dans l’annuaire ne sont pas imprimées.";
    this.part("sheets-hint").textContent = found.length ? hint : "";
    this.part("own-actions").hidden = this.shared || !store.available;
    this.linkField.hidden = true;
  };

  SelectionPage.prototype.item = function (entry) {
    var self = this;
    var item = element("li", "pa-selection__item");
    var heading = element("h3", "pa-selection__name");
    item.appendChild(heading);
    if (entry.state === "found") {
      var link = element("a", "passerelle-target", entry.nom); // a 44 px target on phones (passerelle.css)
      link.href = new URL(entry.id + "/", this.recordsBase).href;
      heading.appendChild(link);
      // What the record page says first: its kind and status, then address and contact.
      var kind = entry.sheet.querySelector(".pa-kind");
      var contact = entry.sheet.querySelector("dl.pa-facts");
      if (kind) item.appendChild(kind.cloneNode(true));
      if (contact) item.appendChild(contact.cloneNode(true));
    } else {
      heading.textContent = entry.nom || "Fiche « " + entry.id + " »";
      item.appendChild(
        element(
          "p",
          "pa-selection__gone",
          entry.state === "failed"
            ? "Cette fiche n’a pas pu être chargée. Vérifiez votre connexion à internet, puis rechargez la page."
            : this.shared
              ? // Only its id is known: it may have been removed, or never have existed (a link typed by hand).
                "Cette fiche n’est pas dans l’annuaire. Elle a peut-être été retirée, ou le lien a été mal copié."
              : // It was chosen from this site, so it was in the directory then.
                "Cette structure n’est plus dans l’annuaire."
        )
      );
    }
    if (!this.shared) {
      var remove = element("button", "md-button pa-selection-button");
      remove.type = "button";
      remove.dataset.paRemove = entry.id;
      remove.appendChild(element("span", null, REMOVE));
      remove.appendChild(element("span", "pa-visually-hidden", " : " + (entry.nom || entry.id)));
      remove.addEventListener("click", function () {
        self.remove(entry);
      });
      item.appendChild(remove);
    }
    return item;
  };

  // Removed from the list in place; the focus goes to the next record's button (or the
  // previous one, or the heading when none is left), and the removal is said.
  SelectionPage.prototype.remove = function (entry) {
    var at = this.entries.indexOf(entry);
    var items = store.items();
    var kept = store.indexOf(items, entry.id);
    if (kept >= 0) items.splice(kept, 1);
    store.save(items);
    this.entries.splice(at, 1);
    this.show();
    var buttons = this.list.querySelectorAll("[data-pa-remove]");
    (buttons[Math.min(at, buttons.length - 1)] || this.title).focus();
    announce("Retiré de votre sélection : " + (entry.nom || entry.id) + ". " + countSentence(items.length));
  };

  // A shared selection is added to the visitor's own, never put in its place.
  SelectionPage.prototype.keep = function () {
    var items = store.items();
    var added = 0;
    this.found().forEach(function (entry) {
      if (store.indexOf(items, entry.id) >= 0) return;
      items.push({ id: entry.id, nom: entry.nom });
      added += 1;
    });
    store.save(items);
    history.replaceState(null, "", location.pathname + location.search);
    this.render(true).then(function () {
      announce(
        added
          ? structures(added) + (added > 1 ? " ajoutées" : " ajoutée") + " à votre sélection. " + countSentence(items.length)
          : "Ces structures étaient déjà dans votre sélection."
      );
    });
  };

  SelectionPage.prototype.copyLink = function () {
    var ids = this.found().map(function (entry) {
      return entry.id;
    });
    var link = location.href.split("#")[0] + "#ids=" + ids.join(",");
    var input = this.linkField.querySelector("input");
    input.value = link;
    this.linkField.hidden = false;
    var copied = navigator.clipboard ? navigator.clipboard.writeText(link) : Promise.reject(new Error("no clipboard"));
    copied.then(
      function () {
        announce("Le lien est copié. Vous pouvez le coller dans un message.");
      },
      function () {
        input.focus();
        input.select();
        announce("Copiez le lien affiché sous le bouton.");
      }
    );
  };

  // --- Start ---------------------------------------------------------------------------
  window.PasserelleSelection = { button: button, groupOf: groupOf };

  document.querySelectorAll("[data-pa-selection-toggle]").forEach(function (place) {
    var node = button(place.dataset.id, place.dataset.name);
    if (node) place.insertBefore(node, place.firstChild);
  });
  refreshButtons();

  var root = document.getElementById("pa-selection");
  var page = root ? new SelectionPage(root) : null;
  if (page) page.start();

  // Another tab changed the selection: show the same here.
  window.addEventListener("storage", function (event) {
    if (event.key !== KEY && event.key !== null) return;
    refreshButtons();
    if (page && !page.shared) page.render(false);
  });
})();
