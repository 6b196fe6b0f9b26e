/*
 * Passerelle finder (« Trouver une structure », /trouver/).
 *
 * Static site, no server: the page loads JSON shards written by
 * generator/finder.py (records by kind and département, communes by postcode
 * and by name prefix) and searches them here. The search state lives in the
 * URL (?cp=92260&type=gem…) so a search can be shared, bookmarked, and walked
 * with back/forward. No inline script or style: CSP `script-src 'self'`.
 */
(function () {
  "use strict";

  // --- Normalization: mirrors generator.geography.normalize exactly ----------
  var ABBREVIATIONS = { st: "saint", ste: "sainte", sts: "saints", stes: "saintes" };

  function normalize(text) {
    if (typeof text !== "string") return "";
    var s = text.toLowerCase().split("œ").join("oe").split("æ").join("ae");
    // Python's [\W_]+: anything but a letter or a number, before accents go.
    s = s.replace(/[^\p{L}\p{N}]+/gu, " ");
    s = s.normalize("NFKD").replace(/[^\x00-\x7f]/g, "");
    return s
      .split(/[ \t\n\v\f\r\x1c-\x1f]+/)
      .filter(Boolean)
      .map(function (word) { return ABBREVIATIONS[word] || word; })
      .join(" ");
  }

  // --- Geometry ---------------------------------------------------------------
  var EARTH_KM = 6371.0088;

  function haversine(lat1, lon1, lat2, lon2) {
    var rad = Math.PI / 180;
    var dLat = (lat2 - lat1) * rad;
    var dLon = (lon2 - lon1) * rad;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  // Lower bound of the distance from a point to anything inside a box [minLat, minLon, maxLat, maxLon].
  function boxDistance(lat, lon, box) {
    var clampedLat = Math.min(Math.max(lat, box[0]), box[2]);
    var clampedLon = Math.min(Math.max(lon, box[1]), box[3]);
    return haversine(lat, lon, clampedLat, clampedLon) * 0.995;
  }

  // --- Data -------------------------------------------------------------------
  var PER_KIND = 10;          // nearest results shown per kind, « Voir plus » adds as many
  var BROWSE_LIMIT = 2000;    // records a search without a place may load
  var FIRST_RADIUS_KM = 25;   // shards loaded together before widening

  function Finder(form) {
    this.form = form;
    this.base = new URL(form.getAttribute("data-index"), document.baseURI);
    this.recordsBase = new URL(form.getAttribute("data-records"), document.baseURI);
    this.cache = new Map();
    this.index = null;
  }

  Finder.prototype.load = function (path, version) {
    var url = new URL(path + (version ? "?v=" + version : ""), this.base).href;
    if (!this.cache.has(url)) {
      var request = fetch(url, version ? {} : { cache: "no-cache" }).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + url);
        return response.json();
      });
      request.catch(function () {});
      this.cache.set(url, request);
      request.catch(this.cache.delete.bind(this.cache, url));
    }
    return this.cache.get(url);
  };

  Finder.prototype.ready = function () {
    var self = this;
    if (!this.indexRequest) {
      this.indexRequest = this.load("index.json").then(function (index) {
        self.index = index;
        index.shards = index.shards.map(function (row) {
          return { kind: row[0], area: row[1], count: row[2], box: row[3], version: row[4] };
        });
        index.leaves = new Set(index.communes.leaves);
        index.nodes = new Set(index.communes.nodes);
        return index;
      });
    }
    return this.indexRequest;
  };

  Finder.prototype.shard = function (shard) {
    return this.load("structures/" + shard.kind + "-" + shard.area + ".json", shard.version);
  };

  // --- Places -----------------------------------------------------------------
  Finder.prototype.postcodes = function (prefix) {
    return this.load("communes/cp-" + prefix.slice(0, 2) + ".json", this.index.communes.v)
      .catch(function () { return {}; });
  };

  // Communes whose normalized name starts with `key`, most populated first, exact names first.
  Finder.prototype.communesNamed = function (key) {
    var index = this.index;
    // A split prefix has its own file; otherwise the longest leaf key that starts the text.
    var file = index.nodes.has(key) ? "top-" + key : null;
    for (var length = key.length; length >= 1 && !file; length--) {
      if (index.leaves.has(key.slice(0, length))) file = "nom-" + key.slice(0, length);
    }
    if (!file) return Promise.resolve([]);
    return this.load("communes/" + file.replace(/ /g, "_") + ".json", index.communes.v).then(function (rows) {
      var exact = [];
      var prefix = [];
      rows.forEach(function (row) {
        var name = normalize(row[0]);
        if (name === key) exact.push(row);
        else if (name.indexOf(key) === 0) prefix.push(row);
      });
      return exact.concat(prefix).map(function (row) {
        return { nom: row[0], insee: row[1], cp: row[2], lat: row[3], lon: row[4] };
      });
    });
  };

  // Suggestions for what a person types: postcode digits, or the start of a name.
  Finder.prototype.suggest = function (text, limit) {
    var self = this;
    text = text.trim();
    return this.ready().then(function () {
      if (/^\d{2,5}$/.test(text)) {
        return self.postcodes(text).then(function (codes) {
          var found = [];
          Object.keys(codes).sort().forEach(function (cp) {
            if (cp.indexOf(text) !== 0) return;
            codes[cp].forEach(function (c) { found.push({ nom: c[1], insee: c[0], cp: cp, lat: c[2], lon: c[3] }); });
          });
          return found.slice(0, limit);
        });
      }
      var key = normalize(text);
      if (key.length < 2) return [];
      return self.communesNamed(key).then(function (found) { return found.slice(0, limit); });
    });
  };

  // The point a state searches around: {lat, lon, label, departement}, null, or an error message.
  Finder.prototype.place = function (state) {
    if (state.lat !== "" && state.lon !== "") {
      var lat = parseFloat(state.lat);
      var lon = parseFloat(state.lon);
      if (isFinite(lat) && isFinite(lon)) return Promise.resolve({ lat: lat, lon: lon, label: "vous", here: true });
    }
    if (!/^\d{5}$/.test(state.cp)) {
      return Promise.resolve(state.cp ? { error: "Le code postal « " + state.cp + " » doit avoir 5 chiffres." } : null);
    }
    return this.postcodes(state.cp).then(function (codes) {
      var communes = codes[state.cp] || [];
      var commune = communes.filter(function (c) { return c[0] === state.insee; })[0] || communes[0];
      if (!commune) return { error: "Nous ne connaissons pas le code postal « " + state.cp + " ». Vérifiez les 5 chiffres." };
      return { lat: commune[2], lon: commune[3], label: commune[1], insee: commune[0] };
    });
  };

  // --- Filters ----------------------------------------------------------------
  function today() {
    return (new Date().getDay() + 6) % 7; // Monday first, as the schedules
  }

  function hoursToday(row) {
    if (!row.h) return null;
    var day = row.h.split("|")[today()];
    return day ? day.split(",") : [];
  }

  function regionOf(finder, area) {
    if (area === "fr") return null;
    if (area.charAt(0) === "r") return area.slice(1);
    return finder.index.departements[area] || null;
  }

  // Can a shard hold records of this territory?
  function shardInTerritory(finder, shard, state) {
    if (!state.dep && !state.reg) return true;
    if (shard.area === "fr") return true;
    if (state.dep && shard.area.charAt(0) !== "r" && shard.area !== state.dep) return false;
    var region = regionOf(finder, shard.area);
    if (state.reg && region !== state.reg) return false;
    if (state.dep && region !== finder.index.departements[state.dep]) return false;
    return true;
  }

  function matches(row, state, words) {
    if (state.categorie && row.c !== state.categorie) return false;
    if (state.dep && (row.d || []).indexOf(state.dep) < 0) return false;
    if (state.reg && (row.r || []).indexOf(state.reg) < 0) return false;
    if (state.public && (row.p || []).indexOf(state.public) < 0) return false;
    if (state.acces && (row.a || []).indexOf(state.acces) < 0) return false;
    if (state.pmr && row.m !== 1) return false;
    if (state.ouvert) {
      var hours = hoursToday(row);
      if (!hours || !hours.length) return false;
    }
    if (words.length) {
      if (row._text === undefined) row._text = " " + normalize(row.n + " " + (row.v || "")) + " " + (row.q || "");
      for (var i = 0; i < words.length; i++) if (row._text.indexOf(words[i]) < 0) return false;
    }
    return true;
  }

  // --- Search -----------------------------------------------------------------
  // Nearest located records of one kind: shards are loaded nearest box first, in
  // widening rings, and loading stops once no unloaded shard can hold a closer one.
  Finder.prototype.nearest = function (kind, place, state, limit) {
    var self = this;
    var words = normalize(state.q).split(" ").filter(Boolean);
    var pending = this.index.shards
      .filter(function (s) { return s.kind === kind && s.box && shardInTerritory(self, s, state); })
      .map(function (s) { return { shard: s, bound: boxDistance(place.lat, place.lon, s.box) }; })
      .sort(function (a, b) { return a.bound - b.bound; });
    var found = [];
    var radius = FIRST_RADIUS_KM;

    function step() {
      var kth = found.length >= limit ? found[limit - 1].km : Infinity;
      if (!pending.length || pending[0].bound > kth) {
        return { kind: kind, results: found.slice(0, limit), more: found.length > limit || pending.length > 0 };
      }
      // One round trip for everything within the radius, and for enough records to
      // likely fill the list: sparse kinds would otherwise take a ring per request.
      var batch = [];
      var expected = found.length;
      while (pending.length && (pending[0].bound <= radius || expected < 2 * limit)) {
        expected += pending[0].shard.count;
        batch.push(pending.shift());
      }
      radius *= 2;
      return Promise.all(batch.map(function (b) { return self.shard(b.shard); })).then(function (shards) {
        shards.forEach(function (rows) {
          rows.forEach(function (row) {
            if (row.la === undefined || !matches(row, state, words)) return;
            found.push({ row: row, km: haversine(place.lat, place.lon, row.la, row.lo) });
          });
        });
        found.sort(function (a, b) { return a.km - b.km || a.row.n.localeCompare(b.row.n, "fr"); });
        return step();
      });
    }
    return Promise.resolve(step());
  };

  // Records of a territory or a text search, without a place: by name.
  Finder.prototype.browse = function (kinds, state) {
    var self = this;
    var words = normalize(state.q).split(" ").filter(Boolean);
    var shards = this.index.shards.filter(function (s) {
      return kinds.indexOf(s.kind) >= 0 && shardInTerritory(self, s, state);
    });
    var total = shards.reduce(function (sum, s) { return sum + s.count; }, 0);
    if (total > BROWSE_LIMIT) return Promise.resolve({ tooMany: true });
    return Promise.all(shards.map(this.shard, this)).then(function (loaded) {
      var seen = new Set();
      var byKind = {};
      loaded.forEach(function (rows) {
        rows.forEach(function (row) {
          if (seen.has(row.i) || !matches(row, state, words)) return;
          seen.add(row.i);
          (byKind[row.k] = byKind[row.k] || []).push({ row: row, km: null });
        });
      });
      return {
        groups: kinds.filter(function (k) { return byKind[k]; }).map(function (k) {
          var results = byKind[k].sort(function (a, b) { return a.row.n.localeCompare(b.row.n, "fr"); });
          return { kind: k, results: results, more: false };
        }),
      };
    });
  };

  // The whole query: {place, groups} | {place, tooMany} | {error} | {needPlace}.
  Finder.prototype.search = function (state, limit) {
    var self = this;
    limit = limit || PER_KIND;
    return this.ready().then(function (index) {
      var kinds = state.type ? [state.type] : Object.keys(index.labels.kinds);
      return self.place(state).then(function (place) {
        if (place && place.error) return { error: place.error };
        if (!place) {
          return self.browse(kinds, state).then(function (result) {
            result.place = null;
            return result;
          });
        }
        return Promise.all(kinds.map(function (k) { return self.nearest(k, place, state, limit); }))
          .then(function (groups) {
            return { place: place, groups: groups.filter(function (g) { return g.results.length; }) };
          });
      });
    });
  };

  // For an empty result near a place: the nearest record of another kind, same criteria.
  Finder.prototype.nearestOtherKind = function (state, place) {
    var self = this;
    var others = Object.keys(this.index.labels.kinds).filter(function (k) { return k !== state.type; });
    var loose = Object.assign({}, state, { categorie: "" });
    return Promise.all(others.map(function (k) { return self.nearest(k, place, loose, 1); })).then(function (groups) {
      var best = null;
      groups.forEach(function (g) {
        if (g.results.length && (!best || g.results[0].km < best.km)) best = g.results[0];
      });
      return best;
    });
  };

  // --- URL state --------------------------------------------------------------
  var PARAMS = ["type", "categorie", "cp", "insee", "lat", "lon", "q", "reg", "dep", "public", "acces", "ouvert", "pmr"];

  function stateFromQuery(search) {
    var params = new URLSearchParams(search);
    var state = {};
    PARAMS.forEach(function (name) { state[name] = (params.get(name) || "").trim(); });
    return state;
  }

  function queryFromState(state) {
    var params = new URLSearchParams();
    PARAMS.forEach(function (name) {
      var value = state[name];
      // A shared link says where to within a kilometre, never a home address.
      if ((name === "lat" || name === "lon") && value !== "") value = Number(value).toFixed(2);
      if (value) params.set(name, value);
    });
    var query = params.toString();
    return query ? "?" + query : location.pathname;
  }

  function hasCriteria(state) {
    return PARAMS.some(function (name) { return state[name]; });
  }

  // --- Words ------------------------------------------------------------------
  function formatKm(km) {
    if (km < 1) return "à moins d’1 km";
    if (km < 10) return "à " + km.toFixed(1).replace(".", ",") + " km";
    return "à " + Math.round(km) + " km";
  }

  function formatTime(hhmm) {
    var h = String(parseInt(hhmm.slice(0, 2), 10));
    var m = hhmm.slice(2);
    return m === "00" ? h + " h" : h + " h " + m;
  }

  function hoursText(row) {
    var hours = hoursToday(row);
    if (!hours) return "Horaires non renseignés";
    if (!hours.length) return "Fermé aujourd’hui";
    return "Ouvert aujourd’hui : " + hours.map(function (span) {
      var parts = span.split("-");
      return formatTime(parts[0]) + " – " + formatTime(parts[1]);
    }).join(", ");
  }

  function phoneText(e164) {
    var digits = e164.replace(/^\+33/, "0");
    return /^0\d{9}$/.test(digits) ? digits.replace(/(\d{2})(?=\d)/g, "$1 ") : e164;
  }

  // --- Page -------------------------------------------------------------------
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function Page(form) {
    this.finder = new Finder(form);
    this.form = form;
    this.input = form.querySelector("#pa-finder-place");
    this.suggestions = form.querySelector("#pa-finder-suggestions");
    this.message = form.querySelector("#pa-finder-message");
    this.status = document.getElementById("pa-finder-status");
    this.results = document.getElementById("pa-finder-results");
    this.more = form.querySelector("#pa-finder-more");
    this.state = stateFromQuery(location.search);
    this.placeText = "";
    this.limit = PER_KIND;
    this.generation = 0;
  }

  Page.prototype.start = function () {
    var self = this;
    this.form.hidden = false;
    if (new URLSearchParams(location.search).get("autour")) this.form.querySelector("#pa-finder-offer").hidden = false;
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.submit();
    });
    this.form.addEventListener("change", function (event) {
      if (event.target !== self.input) self.submit();
    });
    this.form.querySelector("#pa-finder-q").addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); self.submit(); }
    });
    this.form.querySelector("#pa-finder-locate").addEventListener("click", function () { self.locate(); });
    this.form.querySelector("#pa-finder-clear").addEventListener("click", function () {
      ["categorie", "reg", "dep", "public", "acces", "ouvert", "pmr", "q"].forEach(function (name) { self.state[name] = ""; });
      self.fill();
      self.commit(true);
    });
    this.input.addEventListener("input", function () { self.suggestSoon(); });
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !self.suggestions.hidden) {
        event.preventDefault();
        self.suggestions.querySelector("button").focus();
      } else if (event.key === "Escape") {
        self.closeSuggestions();
      }
    });
    this.suggestions.addEventListener("keydown", function (event) { self.moveInSuggestions(event); });
    window.addEventListener("popstate", function (event) {
      self.state = (event.state && event.state.finder) || stateFromQuery(location.search);
      self.limit = PER_KIND;
      self.fill();
      self.run();
    });
    this.fill();
    if (hasCriteria(this.state)) this.run();
    else this.finder.ready();
  };

  // Form ← state.
  Page.prototype.fill = function () {
    var state = this.state;
    var form = this.form;
    ["type", "categorie", "reg", "dep", "public", "acces", "q"].forEach(function (name) { form.elements[name].value = state[name]; });
    form.elements.ouvert.checked = !!state.ouvert;
    form.elements.pmr.checked = !!state.pmr;
    if (["categorie", "reg", "dep", "public", "acces", "ouvert", "pmr", "q"].some(function (n) { return state[n]; })) this.more.open = true;
    this.input.value = state.lat ? "" : state.cp;
    this.placeText = this.input.value;
  };

  // State ← form, then search.
  Page.prototype.submit = function () {
    var self = this;
    var form = this.form;
    ["type", "categorie", "reg", "dep", "public", "acces", "q"].forEach(function (name) { self.state[name] = form.elements[name].value.trim(); });
    this.state.ouvert = form.elements.ouvert.checked ? "1" : "";
    this.state.pmr = form.elements.pmr.checked ? "1" : "";
    var text = this.input.value.trim();
    this.closeSuggestions();
    if (text === this.placeText) return this.commit(true);
    if (!text) {
      Object.assign(this.state, { cp: "", insee: "", lat: "", lon: "" });
      return this.commit(true);
    }
    if (/^\d{5}$/.test(text)) {
      Object.assign(this.state, { cp: text, insee: "", lat: "", lon: "" });
      return this.commit(true);
    }
    return this.finder.suggest(text, 1).then(function (found) {
      if (!found.length) {
        self.say("Nous ne trouvons pas « " + text + " ». Vérifiez le code postal ou le nom de la ville.");
        return;
      }
      self.choose(found[0]);
    });
  };

  Page.prototype.choose = function (commune) {
    Object.assign(this.state, { cp: commune.cp, insee: commune.insee, lat: "", lon: "" });
    this.input.value = commune.nom;
    this.placeText = commune.nom;
    this.closeSuggestions();
    this.commit(true);
  };

  Page.prototype.commit = function (push) {
    var url = queryFromState(this.state);
    var entry = { finder: Object.assign({}, this.state) };
    if (push && url !== location.search) history.pushState(entry, "", url);
    else history.replaceState(entry, "", url);
    this.limit = PER_KIND;
    return this.run();
  };

  Page.prototype.locate = function () {
    var self = this;
    if (!navigator.geolocation) {
      this.say("Votre appareil ne donne pas sa position. Tapez votre code postal ou votre ville.", true);
      return;
    }
    this.say("Recherche de votre position…");
    navigator.geolocation.getCurrentPosition(function (position) {
      self.message.hidden = true;
      Object.assign(self.state, { lat: String(position.coords.latitude), lon: String(position.coords.longitude), cp: "", insee: "" });
      self.input.value = "";
      self.placeText = "";
      self.form.querySelector("#pa-finder-offer").hidden = true;
      self.commit(true);
    }, function (error) {
      self.say(error.code === 1
        ? "Vous n’avez pas autorisé la localisation. Ce n’est pas grave : tapez votre code postal ou votre ville."
        : "Votre position n’a pas pu être trouvée. Tapez votre code postal ou votre ville.", true);
    }, { timeout: 15000, maximumAge: 300000 });
  };

  // A message next to the form, and in the live region.
  Page.prototype.say = function (text, stays) {
    this.message.textContent = text;
    this.message.hidden = !stays;
    this.status.textContent = text;
  };

  // --- Suggestions ------------------------------------------------------------
  Page.prototype.suggestSoon = function () {
    var self = this;
    clearTimeout(this.suggestTimer);
    this.suggestTimer = setTimeout(function () { self.showSuggestions(); }, 120);
  };

  Page.prototype.showSuggestions = function () {
    var self = this;
    var text = this.input.value;
    this.finder.suggest(text, 8).then(function (found) {
      if (self.input.value !== text) return;
      self.suggestions.textContent = "";
      found.forEach(function (commune) {
        var item = element("li");
        var button = element("button", "pa-finder__suggestion", commune.nom + " (" + commune.cp + ")");
        button.type = "button";
        button.addEventListener("click", function () {
          self.choose(commune);
          self.input.focus();
        });
        item.appendChild(button);
        self.suggestions.appendChild(item);
      });
      self.suggestions.hidden = !found.length;
    });
  };

  Page.prototype.closeSuggestions = function () {
    clearTimeout(this.suggestTimer);
    this.suggestions.hidden = true;
    this.suggestions.textContent = "";
  };

  Page.prototype.moveInSuggestions = function (event) {
    var buttons = Array.prototype.slice.call(this.suggestions.querySelectorAll("button"));
    var at = buttons.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < buttons.length - 1) buttons[at + 1].focus();
    else if (event.key === "ArrowUp") (at > 0 ? buttons[at - 1] : this.input).focus();
    else if (event.key === "Escape") { this.closeSuggestions(); this.input.focus(); }
    else return;
    event.preventDefault();
  };

  // --- Results ----------------------------------------------------------------
  Page.prototype.run = function () {
    var self = this;
    var generation = ++this.generation;
    var state = Object.assign({}, this.state);
    this.results.setAttribute("aria-busy", "true");
    return this.finder.search(state, this.limit).then(function (result) {
      if (generation !== self.generation) return;
      self.results.removeAttribute("aria-busy");
      return self.show(state, result);
    }, function () {
      self.results.removeAttribute("aria-busy");
      self.say("La recherche n’a pas pu se faire. Vérifiez votre connexion et réessayez.", true);
    });
  };

  Page.prototype.show = function (state, result) {
    var self = this;
    var labels = this.finder.index.labels;
    this.results.textContent = "";
    if (result.place && !result.place.here && !this.input.value) {
      this.input.value = result.place.label;
      this.placeText = result.place.label;
    }
    if (result.error) return this.say(result.error, true);
    this.message.hidden = true;
    if (result.tooMany) {
      this.status.textContent = "Indiquez votre code postal ou votre ville, ou appuyez sur « Autour de moi », pour voir les lieux.";
      this.results.appendChild(element("p", "pa-finder__empty", this.status.textContent));
      return;
    }
    var where = result.place ? (result.place.here ? " près de vous" : " près de " + result.place.label) : "";
    var count = result.groups.reduce(function (sum, g) { return sum + g.results.length; }, 0);
    var kind = state.type ? labels.kinds[state.type] : ["", "lieu", "lieux", "m"];
    var feminine = kind[3] === "f" ? "e" : "";
    if (!count) {
      this.status.textContent = "Aucun" + feminine + " " + kind[1] + " trouvé" + feminine + where + ".";
      return this.showEmpty(state, result);
    }
    this.status.textContent = count + " " + (count > 1 ? kind[2] : kind[1]) + " trouvé" + feminine + (count > 1 ? "s" : "") + where + ".";
    result.groups.forEach(function (group) {
      var section = element("section", "pa-finder__group");
      var heading = element("h2", null, labels.kinds[group.kind][0] + " ");
      heading.appendChild(element("span", "pa-count", "(" + group.results.length + ")"));
      section.appendChild(heading);
      var list = element("ol", "pa-finder__list");
      group.results.forEach(function (found) { list.appendChild(self.item(found)); });
      section.appendChild(list);
      if (group.more && result.place) {
        var more = element("button", "md-button pa-finder__more-results", "Voir plus de résultats");
        more.type = "button";
        more.addEventListener("click", function () {
          self.limit += PER_KIND;
          self.run();
        });
        section.appendChild(more);
      }
      self.results.appendChild(section);
    });
  };

  Page.prototype.item = function (found) {
    var row = found.row;
    var labels = this.finder.index.labels;
    var item = element("li", "pa-finder__result");
    var link = element("a", "pa-finder__name", row.n);
    link.href = new URL(row.i + "/", this.finder.recordsBase).href;
    item.appendChild(link);
    if (row.s) item.appendChild(element("span", "pa-badge pa-badge--" + row.s, labels.statuts[row.s]));
    var where = [];
    if (row.v) where.push(row.v);
    if (found.km !== null) where.push(formatKm(found.km));
    if (found.km !== null && row.ap) where.push("position approximative");
    if (!row.v && row.la === undefined) where.push("sans lieu d’accueil");
    item.appendChild(element("p", "pa-finder__where", where.join(" · ")));
    var what = labels.what[row.k + ":" + row.c] || labels.what[row.k];
    item.appendChild(element("p", "pa-finder__what", what));
    var details = element("p", "pa-finder__details");
    if (row.t) {
      var phone = element("a", "pa-finder__phone", phoneText(row.t));
      phone.href = "tel:" + row.t;
      details.appendChild(phone);
      details.appendChild(document.createTextNode(" · "));
    }
    details.appendChild(document.createTextNode(hoursText(row)));
    item.appendChild(details);
    return item;
  };

  Page.prototype.showEmpty = function (state, result) {
    var self = this;
    var labels = this.finder.index.labels;
    var box = element("div", "pa-finder__empty");
    box.appendChild(element("p", null, this.status.textContent));
    var tips = element("ul");
    if (["categorie", "reg", "dep", "public", "acces", "ouvert", "pmr", "q"].some(function (n) { return state[n]; })) {
      tips.appendChild(element("li", null, "Retirez un critère (« Plus de critères », puis « Effacer les critères »)."));
    }
    if (state.type) tips.appendChild(element("li", null, "Choisissez « Tous les types de lieux »."));
    if (!result.place) tips.appendChild(element("li", null, "Indiquez votre code postal ou votre ville pour voir les lieux les plus proches."));
    box.appendChild(tips);
    this.results.appendChild(box);
    if (!result.place || !state.type) return;
    this.finder.nearestOtherKind(state, result.place).then(function (found) {
      if (!found || !box.isConnected) return;
      var line = element("p", null, "Le lieu le plus proche d’un autre type : ");
      var link = element("a", null, found.row.n);
      link.href = new URL(found.row.i + "/", self.finder.recordsBase).href;
      line.appendChild(link);
      line.appendChild(document.createTextNode(" (" + labels.kinds[found.row.k][1] + ", " + formatKm(found.km) + ")."));
      box.appendChild(line);
    });
  };

  // Exposed for the tests and the benchmark (bench/finder.py).
  window.PasserelleFinder = { normalize: normalize, Finder: Finder, stateFromQuery: stateFromQuery, queryFromState: queryFromState };

  var form = document.getElementById("pa-finder");
  if (form) {
    var page = new Page(form);
    window.PasserelleFinder.page = page;
    page.start();
  }
})();
