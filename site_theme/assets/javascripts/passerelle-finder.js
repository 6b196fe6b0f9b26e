/*
 * Passerelle finder (« Trouver une structure », /trouver/).
 *
 * Static site, no server: the page loads JSON shards written by
 * generator/site/finder.py (records by kind and département, records by the
 * territory they serve, communes by postcode, name prefix and square degree)
 * and searches them here. Most of these files hold rows as arrays: the shapes below
 * name their fields, as generator/site/shapes.py writes them (tests/test_shapes.py
 * checks the two agree); record rows are objects with short keys (shapes.py
 * RECORD_KEYS). The search state lives in the URL (?cp=92260&type=gem…)
 * so a search can be shared, bookmarked, and walked with back/forward; a
 * position from « Autour de moi » never does: it stays in the page's history
 * entry, and leaves the device only in a link the person chooses to copy
 * (#position=…, a fragment, which browsers never send). No inline script or
 * style: CSP `script-src 'self'`.
 */
(function () {
  "use strict";

  // --- Data shapes: the position of each field of the rows -----------------------
  var BOUNDING_BOX = {"south": 0, "west": 1, "north": 2, "east": 3};  // generator/site/shapes.py
  var SHARD_ROW = {"kind": 0, "area": 1, "count": 2, "box": 3, "version": 4};  // generator/site/shapes.py
  var TERRITORY_FILE_ROW = {"count": 0, "version": 1};  // generator/site/shapes.py
  var DEPARTEMENT_ROW = {"region": 0, "nom": 1};  // generator/site/shapes.py
  var KIND_WORDS = {"heading": 0, "singular": 1, "plural": 2, "gender": 3};  // generator/site/shapes.py
  var NETWORK_ROW = {"id": 0, "nom": 1, "why": 2};  // generator/site/shapes.py
  var KNOWN_COUNT_ROW = {"statement": 0, "listed": 1, "missing": 2, "stale": 3, "source_title": 4, "source_date": 5, "source_url": 6};  // generator/site/shapes.py
  var POSTCODE_COMMUNE = {"insee": 0, "nom": 1, "lat": 2, "lon": 3};  // generator/site/shapes.py
  var NAMED_COMMUNE = {"nom": 0, "insee": 1, "cp": 2, "lat": 3, "lon": 4};  // generator/site/shapes.py
  var POSITION_COMMUNE = {"insee": 0, "lat": 1, "lon": 2};  // generator/site/shapes.py

  // A row of `shape` from its fields by name, for the rows this script makes itself.
  function rowOf(shape, fields) {
    var row = [];
    Object.keys(shape).forEach(function (name) { row[shape[name]] = fields[name]; });
    return row;
  }

  // The fields of a row of `shape`, by name: the other way round.
  function fieldsOf(shape, row) {
    var fields = {};
    Object.keys(shape).forEach(function (name) { fields[name] = row[shape[name]]; });
    return fields;
  }

  // --- Normalization: generator.geo.gazetteer.normalize (passerelle-words.js) ---
  function normalize(text) {
    return window.PasserelleWords.normalizedWords(text).join(" ");
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

  // Lower bound of the distance from a point to anything inside a BOUNDING_BOX.
  function boxDistance(lat, lon, box) {
    var clampedLat = Math.min(Math.max(lat, box[BOUNDING_BOX.south]), box[BOUNDING_BOX.north]);
    var clampedLon = Math.min(Math.max(lon, box[BOUNDING_BOX.west]), box[BOUNDING_BOX.east]);
    return haversine(lat, lon, clampedLat, clampedLon) * 0.995;
  }

  // --- Data -------------------------------------------------------------------
  var PER_KIND = 10;          // nearest results shown per kind, « Voir plus » adds as many
  var BROWSE_LIMIT = 2000;    // records a search without a place may load
  var FIRST_RADIUS_KM = 25;   // shards loaded together before widening
  // « Few » structures of a kind for an area: fewer than COVERAGE_MIN within COVERAGE_KM
  // of the place (counting those serving its territory), or in the whole list when no
  // place is given. The finder then says the directory may not list them all, and
  // whom to ask (coverageBox).
  var COVERAGE_MIN = 5;
  var COVERAGE_KM = 30;
  // A place farther than REACH_KM is hours away, no way in for most people: the nearest place of
  // another kind is offered only within it (alternatives), and an answer whose nearest place is
  // beyond it says none is known within it, never « près de » (answer). COVERAGE_KM is nearer:
  // what « few near you » counts, with its note that others may exist; a place between the two
  // is far, but can still be reached, and its distance is shown beside it.
  var REACH_KM = 100;
  var CHOICES = 8;            // communes offered for a name or the start of a name

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
        HOLIDAYS = index.holidays || {};
        LOCAL_HOLIDAYS = index.local_holidays || {};
        UNTIL = index.until;
        TIME_ZONE = index.time_zone;
        LOCAL_TIME_ZONES = index.local_time_zones || {};
        index.shards = index.shards.map(function (row) { return fieldsOf(SHARD_ROW, row); });
        index.postcodes = new Set(index.communes.postcodes);
        index.leaves = new Set(index.communes.leaves);
        index.nodes = new Set(index.communes.nodes);
        index.tiles = new Set(index.communes.tiles);
        return index;
      }, function (error) {
        self.indexRequest = null; // the next search asks again: « réessayez » must work
        throw error;
      });
    }
    return this.indexRequest;
  };

  Finder.prototype.shard = function (shard) {
    return this.load("structures/" + shard.kind + "-" + shard.area + ".json", shard.version);
  };

  // --- Places -----------------------------------------------------------------
  // The communes of the postcodes starting with `prefix`, by postcode. Digits that start no
  // postcode (index.postcodes) have no file: none, without a request. A file that fails to load
  // rejects, for the page to say the search could not be done, not that the postcode is unknown.
  Finder.prototype.postcodes = function (prefix) {
    var first = prefix.slice(0, 2);
    if (!this.index.postcodes.has(first)) return Promise.resolve({});
    return this.load("communes/cp-" + first + ".json", this.index.communes.v);
  };

  // Communes whose normalized name starts with `key`, most populated first, exact names first. When
  // none does, those a slip of the keyboard away (passerelle-words.js), marked `near`: « marseile »
  // offers Marseille, for the person to choose, never taken for it. A slip in the first two letters
  // (« mzrseille ») puts the name in another file: those of what `key` may have been meant as.
  Finder.prototype.communesNamed = function (key) {
    var self = this;
    var words = window.PasserelleWords;
    var file = this.namesFile(key);
    function commune(isExact, isNear) {
      return function (row) {
        var found = fieldsOf(NAMED_COMMUNE, row);
        found.exact = isExact;
        found.near = isNear;
        return found;
      };
    }
    return (file ? this.names(file) : Promise.resolve([])).then(function (rows) {
      var exact = [];
      var prefix = [];
      rows.forEach(function (row) {
        var name = normalize(row[NAMED_COMMUNE.nom]);
        if (name === key) exact.push(row);
        else if (name.indexOf(key) === 0) prefix.push(row);
      });
      if (exact.length || prefix.length) return exact.map(commune(true, false)).concat(prefix.map(commune(false, false)));
      var near = slippedNames(key, rows);
      if (near.length || !words.slipsAllowed(key)) return near.map(commune(false, true));
      var others = words.slippedStarts(key).map(self.namesFile, self).filter(function (other, i, all) {
        return other && other !== file && all.indexOf(other) === i;
      });
      return Promise.all(others.map(self.names, self)).then(function (files) {
        return slippedNames(key, [].concat.apply([], files)).map(commune(false, true));
      });
    });
  };

  // The file of the commune names that start as `text` does: its own when it is a split prefix
  // (« ma »), else that of the longest prefix with one; null when no name starts so.
  Finder.prototype.namesFile = function (text) {
    var index = this.index;
    if (index.nodes.has(text)) return "top-" + text;
    for (var length = text.length; length >= 1; length--) {
      if (index.leaves.has(text.slice(0, length))) return "nom-" + text.slice(0, length);
    }
    return null;
  };

  Finder.prototype.names = function (file) {
    return this.load("communes/" + file.replace(/ /g, "_") + ".json", this.index.communes.v);
  };

  // The rows whose name, or its start, is fewest slips away from `key`, if any is within reach;
  // in the file's order (most populated first).
  function slippedNames(key, rows) {
    var words = window.PasserelleWords;
    return words.nearest(key, rows, function (row, limit) {
      var name = normalize(row[NAMED_COMMUNE.nom]);
      return Math.min(words.slips(key, name, limit), words.slips(key, name.slice(0, key.length), limit));
    });
  }

  // The département of an INSEE code: « 92032 » → 92, « 2A004 » → 2A, « 97411 » → 974.
  function departementOf(insee) {
    return insee.slice(0, /^9[78]/.test(insee) ? 3 : 2);
  }

  // The commune whose centre is nearest to a position (files per square degree), or null;
  // rejects when a file fails to load, as a search without the place's territory would be partial.
  Finder.prototype.communeAt = function (lat, lon) {
    var self = this;
    var tiles = [];
    for (var dLat = -1; dLat <= 1; dLat++) {
      for (var dLon = -1; dLon <= 1; dLon++) {
        var south = Math.floor(lat) + dLat;
        var west = Math.floor(lon) + dLon;
        var key = south + "_" + west;
        if (!this.index.tiles.has(key)) continue;
        var box = rowOf(BOUNDING_BOX, { south: south, west: west, north: south + 1, east: west + 1 });
        tiles.push({ key: key, bound: boxDistance(lat, lon, box) });
      }
    }
    tiles.sort(function (a, b) { return a.bound - b.bound; });
    var best = null;
    function next() {
      if (!tiles.length || (best && tiles[0].bound > best.km)) return best && best.insee;
      var tile = tiles.shift();
      return self.load("communes/pos-" + tile.key + ".json", self.index.communes.v).then(function (rows) {
        rows.forEach(function (row) {
          var km = haversine(lat, lon, row[POSITION_COMMUNE.lat], row[POSITION_COMMUNE.lon]);
          if (!best || km < best.km) best = { insee: row[POSITION_COMMUNE.insee], km: km };
        });
        return next();
      });
    }
    return Promise.resolve(next());
  };

  // A place with its territory: commune, département and région, when known.
  Finder.prototype.located = function (place, insee) {
    var departement = insee ? departementOf(insee) : null;
    var known = departement && this.index.departements[departement];
    place.insee = insee || null;
    place.departement = known ? departement : null;
    place.region = known ? known[DEPARTEMENT_ROW.region] : null;
    return place;
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
            codes[cp].forEach(function (c) {
              found.push({ nom: c[POSTCODE_COMMUNE.nom], insee: c[POSTCODE_COMMUNE.insee], cp: cp, lat: c[POSTCODE_COMMUNE.lat], lon: c[POSTCODE_COMMUNE.lon] });
            });
          });
          return found.slice(0, limit);
        });
      }
      var key = normalize(text);
      if (key.length < 2) return [];
      return self.communesNamed(key).then(function (found) { return found.slice(0, limit); });
    });
  };

  // The point a state searches around: {lat, lon, label, insee, departement, region}, null, or an error message.
  Finder.prototype.place = function (state) {
    var self = this;
    if (state.lat !== "" && state.lon !== "") {
      var lat = parseFloat(state.lat);
      var lon = parseFloat(state.lon);
      if (isFinite(lat) && isFinite(lon)) {
        return this.communeAt(lat, lon).then(function (insee) {
          var label = state.shared ? "la position du lien partagé" : "vous";
          return self.located({ lat: lat, lon: lon, label: label, here: true }, insee);
        });
      }
    }
    if (!/^\d{5}$/.test(state.cp)) {
      return Promise.resolve(state.cp ? { error: "Le code postal « " + state.cp + " » doit avoir 5 chiffres." } : null);
    }
    return this.postcodes(state.cp).then(function (codes) {
      var communes = codes[state.cp] || [];
      var commune = communes.filter(function (c) { return c[POSTCODE_COMMUNE.insee] === state.insee; })[0] || communes[0];
      if (!commune) return { error: "Nous ne connaissons pas le code postal « " + state.cp + " ». Vérifiez les 5 chiffres." };
      return self.located(
        { lat: commune[POSTCODE_COMMUNE.lat], lon: commune[POSTCODE_COMMUNE.lon], label: commune[POSTCODE_COMMUNE.nom] },
        commune[POSTCODE_COMMUNE.insee]
      );
    });
  };

  // --- Filters ----------------------------------------------------------------
  // The public holidays of the index, for the rows' hours on the visitor's day: the country's
  // ({date: name}), and those of the départements that have their own besides (Alsace, Moselle,
  // overseas: {département: {date: name}}).
  var HOLIDAYS = {};
  var LOCAL_HOLIDAYS = {};
  var UNTIL = null;
  var TIME_ZONE = null;
  var LOCAL_TIME_ZONES = {};

  // The holiday of a day where a row is: the country's, or one of its départements' (`d`), as
  // generator/site/hours.py holidays_of_build decides; {date: name}, or {} on an ordinary day.
  function holidaysOf(row, iso) {
    var name = HOLIDAYS[iso];
    (row.d || []).forEach(function (code) {
      name = name || (LOCAL_HOLIDAYS[code] || {})[iso];
    });
    var calendar = {};
    if (name) calendar[iso] = name;
    return calendar;
  }

  // The time zone of a row's place: its first département that has its own, else mainland France's (hours.time_zone).
  function timeZoneOf(row) {
    var codes = (row.d || []).filter(function (code) { return LOCAL_TIME_ZONES[code]; });
    return codes.length ? LOCAL_TIME_ZONES[codes[0]] : TIME_ZONE;
  }

  // Today's hours of a row, on the place's day (passerelle-days.js): closures, exceptional hours and holidays included.
  function hoursToday(row) {
    var days = window.PasserelleDays;
    var today = days.today(timeZoneOf(row));
    // Past the last day the site's dated facts cover (index.until: public holidays, hours that
    // change with the date), the regular hours of a day cannot be told; dated closures and
    // exceptional hours still can.
    var dated = days.closureOn(row.f, today) || (row.e && row.e[today] !== undefined);
    if (UNTIL && today > UNTIL && row.h && !dated) return { spans: null, why: "perime" };
    return days.dayOf(row, today, holidaysOf(row, today));
  }

  // « open » or « closed » today when the record says so; « unknown » is never either.
  var NOT_OPEN = ["ferme_temporairement", "en_projet"];
  var UNCONFIRMED = "a_confirmer"; // generator/site/model.py: unwritten, or too old to be trusted

  function openness(row) {
    if (NOT_OPEN.indexOf(row.s) >= 0) return "closed";
    var day = hoursToday(row);
    if (!day || !day.spans) return "unknown";
    return day.spans.length ? "open" : "closed";
  }

  // Does a record's territory (generator/site/finder.py coverage_keys) cover the place?
  function covers(row, place) {
    return row.tn === 1 ||
      (!!place.region && (row.tr || []).indexOf(place.region) >= 0) ||
      (!!place.departement && (row.td || []).indexOf(place.departement) >= 0) ||
      (!!place.insee && (row.tc || []).indexOf(place.insee) >= 0);
  }

  function regionOf(finder, area) {
    if (area === "fr") return null;
    if (area.charAt(0) === "r") return area.slice(1);
    var departement = finder.index.departements[area];
    return departement ? departement[DEPARTEMENT_ROW.region] : null;
  }

  // Can a shard hold records of this territory?
  function shardInTerritory(finder, shard, state) {
    if (!state.dep && !state.reg) return true;
    if (shard.area === "fr") return true;
    if (state.dep && shard.area.charAt(0) !== "r" && shard.area !== state.dep) return false;
    var region = regionOf(finder, shard.area);
    if (state.reg && region !== state.reg) return false;
    if (state.dep && region !== regionOf(finder, state.dep)) return false;
    return true;
  }

  function matches(row, state, words) {
    if (state.categorie && row.c !== state.categorie) return false;
    if (state.dep && (row.d || []).indexOf(state.dep) < 0) return false;
    if (state.reg && (row.r || []).indexOf(state.reg) < 0) return false;
    if (state.public && (row.p || []).indexOf(state.public) < 0) return false;
    if (state.acces && (row.a || []).indexOf(state.acces) < 0) return false;
    // Unknown accessibility and unknown hours stay: the page lists them apart (DOUBTS).
    if (state.pmr && row.m === 0) return false;
    if (state.ouvert && openness(row) === "closed") return false;
    if (words.length) {
      if (row._text === undefined) row._text = " " + normalize(row.n + " " + (row.v || "")) + " " + (row.q || "");
      for (var i = 0; i < words.length; i++) if (row._text.indexOf(words[i]) < 0) return false;
    }
    return true;
  }

  // --- Search -----------------------------------------------------------------
  // Nearest located records of one kind: shards are loaded nearest box first, in
  // widening rings, and loading stops once no unloaded shard can hold a closer one.
  Finder.prototype.nearest = function (kind, place, state, limit, exclude) {
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
            if (row.la === undefined || (exclude && exclude.has(row.i)) || !matches(row, state, words)) return;
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

  // Every record whose territory covers the place, whatever its kind: the country's,
  // the région's and the département's files hold them all.
  Finder.prototype.territory = function (place) {
    var self = this;
    var areas = ["fr", place.region && "r" + place.region, place.departement].filter(function (area) {
      return area && self.index.territories[area];
    });
    return Promise.all(areas.map(function (area) {
      return self.load("territoires/" + area + ".json", self.index.territories[area][TERRITORY_FILE_ROW.version]);
    })).then(function (files) {
      var seen = new Set();
      var rows = [];
      files.forEach(function (file) {
        file.forEach(function (row) {
          if (seen.has(row.i) || !covers(row, place)) return;
          seen.add(row.i);
          rows.push(row);
        });
      });
      return rows.sort(function (a, b) { return a.n.localeCompare(b.n, "fr"); });
    });
  };

  // The territory a search is about: the place's, else the département or région
  // chosen in the criteria; {departement, region}, either may be null.
  Finder.prototype.where = function (state, place) {
    if (place) return { departement: place.departement, region: place.region };
    var departement = state.dep && this.index.departements[state.dep] ? state.dep : null;
    return { departement: departement, region: departement ? regionOf(this, departement) : state.reg || null };
  };

  // The whole query: {place, territory, serving, groups} | {place: null, serving, groups} | {tooMany} | {error}.
  // Near a place, records serving its territory are listed apart (`territory`, no
  // distance), and left out of the nearest lists; `serving` keeps all of them, whatever
  // the criteria, to say whom to ask (also for a département or région chosen without a place).
  Finder.prototype.search = function (state, limit) {
    var self = this;
    limit = limit || PER_KIND;
    return this.ready().then(function (index) {
      var kinds = state.type ? [state.type] : Object.keys(index.labels.kinds);
      return self.place(state).then(function (place) {
        if (place && place.error) return { error: place.error };
        if (!place) {
          var where = self.where(state, null);
          return Promise.all([
            self.browse(kinds, state),
            where.region ? self.territory({ departement: where.departement, region: where.region, insee: null }) : [],
          ]).then(function (found) {
            var result = found[0];
            result.place = null;
            result.serving = found[1];
            return result;
          });
        }
        return self.territory(place).then(function (serving) {
          var words = normalize(state.q).split(" ").filter(Boolean);
          var territory = serving.filter(function (row) { return kinds.indexOf(row.k) >= 0 && matches(row, state, words); });
          var exclude = new Set(territory.map(function (row) { return row.i; }));
          return Promise.all(kinds.map(function (k) { return self.nearest(k, place, state, limit, exclude); }))
            .then(function (groups) {
              return {
                place: place,
                serving: serving,
                territory: territory.map(function (row) { return { row: row, km: null, territory: true }; }),
                groups: groups.filter(function (g) { return g.results.length; }),
              };
            });
        });
      });
    });
  };

  // For an empty result: first the same kind in other categories (an association of
  // families filed as a national network), then, near a place, the nearest record of
  // another kind. Both keep every other criterion, the public first: when the search
  // says whom it is for (the decision helper's links do), nothing that does not
  // receive that person is suggested, such as a GEM to a parent.
  Finder.prototype.alternatives = function (state, place) {
    var self = this;
    if (state.categorie) {
      return this.search(Object.assign({}, state, { categorie: "" }), 3).then(function (result) {
        var found = (result.territory || []).slice();
        (result.groups || []).forEach(function (g) { found = found.concat(g.results); });
        return { otherCategory: true, found: found.slice(0, 3) };
      });
    }
    if (!place || !state.type) return Promise.resolve({ found: [] });
    var others = Object.keys(this.index.labels.kinds).filter(function (k) { return k !== state.type; });
    return Promise.all(others.map(function (k) { return self.nearest(k, place, state, 1); })).then(function (groups) {
      var best = null;
      groups.forEach(function (g) {
        if (g.results.length && (!best || g.results[0].km < best.km)) best = g.results[0];
      });
      // A place hours away is no way in: offered only within REACH_KM.
      return { found: best && best.km <= REACH_KM ? [best] : [] };
    });
  };

  // --- URL state --------------------------------------------------------------
  // In the query string: what a search is for, never where the person is.
  var PARAMS = ["type", "categorie", "cp", "insee", "q", "reg", "dep", "public", "acces", "ouvert", "pmr"];
  var CRITERIA = ["categorie", "reg", "dep", "public", "acces", "ouvert", "pmr", "q"];
  var SHARED_POSITION = /^#position=(-?\d{1,3}(?:\.\d+)?),(-?\d{1,3}(?:\.\d+)?)$/;

  function stateFromQuery(search) {
    var params = new URLSearchParams(search);
    var state = { lat: "", lon: "", shared: "" };
    PARAMS.forEach(function (name) { state[name] = (params.get(name) || "").trim(); });
    return state;
  }

  // The state of this page: its history entry keeps a position across reloads; a link
  // copied with « Copier un lien » brings one in its fragment.
  function stateFromLocation() {
    var saved = history.state && history.state.finder;
    if (saved) return Object.assign(stateFromQuery(""), saved);
    var state = stateFromQuery(location.search);
    var shared = SHARED_POSITION.exec(location.hash);
    if (shared) Object.assign(state, { lat: shared[1], lon: shared[2], shared: "1", cp: "", insee: "" });
    return state;
  }

  function queryFromState(state) {
    var params = new URLSearchParams();
    PARAMS.forEach(function (name) { if (state[name]) params.set(name, state[name]); });
    var query = params.toString();
    return query ? "?" + query : location.pathname;
  }

  // The link « Copier un lien vers ces résultats » gives: a position in it says where
  // within a kilometre, never a home address, and only in the fragment.
  function shareLink(state) {
    var url = new URL(queryFromState(state), location.href);
    url.hash = state.lat !== "" ? "position=" + Number(state.lat).toFixed(2) + "," + Number(state.lon).toFixed(2) : "";
    return url.href;
  }

  function hasCriteria(state) {
    return state.lat !== "" || PARAMS.some(function (name) { return state[name]; });
  }

  // --- Words ------------------------------------------------------------------
  function formatKm(km) {
    if (km < 1) return "à moins d’1 km";
    if (km < 10) return "à " + km.toFixed(1).replace(".", ",") + " km";
    return "à " + Math.round(km).toLocaleString("fr-FR") + " km";
  }

  function formatTime(hhmm) {
    var h = String(parseInt(hhmm.slice(0, 2), 10));
    var m = hhmm.slice(2);
    return m === "00" ? h + " h" : h + " h " + m;
  }

  var WHY = { exceptionnel: " (horaires exceptionnels)", ferie: " (jour férié)", habituel: "" };
  var UNKNOWN_HOURS = {
    "": "Horaires non renseignés",
    ferie: "Jour férié : horaires non renseignés",
    perime: "Horaires à vérifier : cet annuaire n’a pas été mis à jour depuis plus d’un an",
  };

  function hoursText(row) {
    var day = hoursToday(row);
    if (day && day.why === "fermeture") return "Fermé aujourd’hui (fermeture exceptionnelle)";
    if (!day || !day.spans) {
      var unknown = UNKNOWN_HOURS[day ? day.why : ""] || UNKNOWN_HOURS[""];
      return day && day.note ? unknown + " (" + day.note + ")" : unknown;
    }
    if (!day.spans.length) return "Fermé aujourd’hui" + WHY[day.why] + (day.note ? " (" + day.note + ")" : "");
    // Nothing recent says the place still receives: its hours are said, not that it is open.
    var said = row.s === UNCONFIRMED ? "Horaires d’aujourd’hui" + WHY[day.why] + ", à confirmer" : "Ouvert aujourd’hui" + WHY[day.why];
    return said + " : " + day.spans.map(function (span) {
      var text = formatTime(span.begin) + " – " + formatTime(span.end);
      return span.note ? text + " (" + span.note + ")" : text;
    }).join(", ");
  }

  // « 3 GEM trouvés », « 1 ressource trouvée »: kind is a KIND_WORDS row.
  // Without a kind, a list mixes places with what serves a whole territory, a network or a
  // document among them (« sans adresse dans l’annuaire »): « résultats », not « lieux ». Only what has
  // a distance is a place.
  var ANY_KIND = rowOf(KIND_WORDS, { heading: "", singular: "résultat", plural: "résultats", gender: "m" });
  var PLACE = rowOf(KIND_WORDS, { heading: "", singular: "lieu", plural: "lieux", gender: "m" });

  function noun(kind, count) {
    return count > 1 ? kind[KIND_WORDS.plural] : kind[KIND_WORDS.singular];
  }

  function agree(word, kind, count) {
    return word + (kind[KIND_WORDS.gender] === "f" ? "e" : "") + (count > 1 ? "s" : "");
  }

  function counted(count, kind, word) {
    return count + " " + noun(kind, count) + " " + agree(word, kind, count);
  }

  function none(kind, word) {
    return "Aucun" + (kind[KIND_WORDS.gender] === "f" ? "e" : "") + " " + noun(kind, 1) + " " + agree(word, kind, 1);
  }

  // « d’Aubervilliers », « du Kremlin-Bicêtre », « des Lilas »: « de » is elided before a vowel
  // and merged with « le » and « les ». Not before « h » or « y », which may be read as
  // consonants (« de Hautmont »).
  function ofPlace(place) {
    var name = place.label;
    if (place.here) return "de " + name;
    if (/^Le /.test(name)) return "du " + name.slice(3);
    if (/^Les /.test(name)) return "des " + name.slice(4);
    if (/^[AEIOUÀÂÄÉÈÊËÎÏÔÖÙÛÜŒ]/.test(name)) return "d’" + name;
    return "de " + name;
  }

  // « Aucun GEM connu à moins de 100 km de Marseille : le plus proche est à 657 km. »; « autre »
  // when the records serving the territory, which have no distance, were counted before. With a
  // criterion (a région, « accessible en fauteuil roulant »…), nearer places may be known that do
  // not meet it: « aucun connu » is said of those that do.
  function noneWithinReach(kind, place, km, other, filtered) {
    var feminine = kind[KIND_WORDS.gender] === "f";
    return "Aucun" + (feminine ? "e" : "") + (other ? " autre " : " ") + noun(kind, 1) + " " + agree("connu", kind, 1) +
      " à moins de " + REACH_KM + " km " + ofPlace(place) + (filtered ? " avec vos critères" : "") + " : " +
      (feminine ? "la" : "le") + " plus proche est " + formatKm(km) + ".";
  }

  // Not « sans lieu d'accueil »: a network may have none, but a collectif setting up or an MDPH has one the record does not give.
  function isAddressless(row) {
    return !row.v && row.la === undefined;
  }

  function openToday(kind, count) {
    return agree("ouvert", kind, count) + " aujourd’hui";
  }

  // What a criterion asks that a record may not say: its places are neither kept as
  // matching nor left out, but listed apart under a heading, and counted apart. A place
  // that says nothing of both goes under the first.
  var DOUBTS = [
    {
      criterion: "pmr",
      unknown: function (row) { return row.m === undefined; },
      heading: "Accessibilité en fauteuil roulant non renseignée — renseignez-vous avant de vous déplacer",
      counted: function (count, kind) { return count + " " + noun(kind, count) + " dont l’accessibilité en fauteuil roulant n’est pas renseignée : renseignez-vous avant de vous déplacer."; },
      said: function (kind, count) { return "accessible" + (count > 1 ? "s" : "") + " en fauteuil roulant"; },
    },
    {
      criterion: "ouvert",
      unknown: function (row) { return openness(row) === "unknown"; },
      heading: "Horaires non renseignés — renseignez-vous avant de vous déplacer",
      counted: function (count, kind) { return count + " " + noun(kind, count) + " sans horaires renseignés : renseignez-vous avant de vous déplacer."; },
      said: openToday,
    },
    {
      // Open today by its hours, but nothing recent says the place still receives (« À confirmer »).
      criterion: "ouvert",
      unknown: function (row) { return row.s === UNCONFIRMED; },
      heading: "Situation à confirmer — renseignez-vous avant de vous déplacer",
      counted: function (count, kind) { return count + " " + noun(kind, count) + " dont la situation est à confirmer : renseignez-vous avant de vous déplacer."; },
      said: openToday,
    },
  ];

  // A record without an address left in doubt by any criterion: « avant de vous déplacer » tells
  // nothing of a network or a document, where one does not go (its page says how to reach it).
  var NO_ADDRESS = {
    heading: "Sans adresse dans l’annuaire — ouvrez la fiche pour savoir comment prendre contact",
    counted: function (count, kind) {
      return count + " " + noun(kind, count) + " sans adresse dans l’annuaire : ouvrez " + (count > 1 ? "les fiches" : "la fiche") + " pour savoir comment prendre contact.";
    },
  };

  // The criteria of `state` that a record may not say, and which of `found` each leaves in doubt;
  // last, those of them without an address (NO_ADDRESS).
  function doubts(state, found) {
    var asked = DOUBTS.filter(function (doubt) { return state[doubt.criterion]; });
    if (!asked.length) return [];
    var left = found;
    var apart = asked.map(function (doubt) {
      var unsure = left.filter(function (f) { return doubt.unknown(f.row); });
      left = left.filter(function (f) { return unsure.indexOf(f) < 0; });
      return { doubt: doubt, found: unsure.filter(function (f) { return !isAddressless(f.row); }) };
    });
    var inDoubt = found.filter(function (f) { return left.indexOf(f) < 0 && isAddressless(f.row); });
    return apart.concat([{ doubt: NO_ADDRESS, found: inDoubt }]);
  }

  // What the live region says of a result: how many, where, and, with a criterion a
  // record may not say (« Ouvert aujourd'hui », « Accessible en fauteuil roulant »), how
  // many places say what it asks, and how many say nothing of it.
  function summary(state, kind, where, found) {
    if (!found.length) return none(kind, "trouvé") + where + ".";
    var apart = doubts(state, found);
    if (!apart.length) return counted(found.length, kind, "trouvé") + where + ".";
    var sure = found.length - apart.reduce(function (sum, a) { return sum + a.found.length; }, 0);
    var said = function (count) {
      var words = [];
      apart.forEach(function (a) {
        if (!a.doubt.said) return;
        var word = a.doubt.said(kind, count);
        if (words.indexOf(word) < 0) words.push(word); // two doubts of « Ouvert aujourd'hui »: said once
      });
      return words.join(" et ");
    };
    var text = sure ? sure + " " + noun(kind, sure) + " " + said(sure) + where + "." : none(kind, "indiqué") + " " + said(1) + where + ".";
    apart.forEach(function (a) { if (a.found.length) text += " " + a.doubt.counted(a.found.length, kind); });
    return text;
  }

  // What the live region says first: the summary of the list, « près de » the place only when
  // its nearest place is within REACH_KM. Beyond, it counts the records serving the territory
  // (they have no distance), says that no other is known within REACH_KM and how far the
  // nearest is, then counts the places, all listed below with their distance. The records serving
  // the territory are never counted « près de »: a national network is not near anyone.
  function answer(state, kind, place, territory, located) {
    if (!place) return summary(state, kind, "", territory.concat(located));
    var places = state.type ? kind : PLACE;
    var served = territory.length ? summary(state, kind, " pour votre territoire", territory) : "";
    var nearest = nearestKm(located);
    if (nearest !== null && nearest > REACH_KM) {
      var far = noneWithinReach(places, place, nearest, !!served, filtered(state));
      return (served ? served + " " : "") + far + " " + summary(state, places, " plus loin", located);
    }
    var near = " près " + ofPlace(place);
    if (!served) return summary(state, kind, near, located);
    return located.length ? summary(state, places, near, located) + " " + served : served;
  }

  // In a list of every kind, said above a kind whose nearest place is beyond REACH_KM while another
  // kind's is within it: the summary then says « près de », which is not true of this one.
  function farKindNote(state, kind, place, located) {
    var nearest = nearestKm(located);
    if (state.type || !place || nearest === null || nearest <= REACH_KM) return null;
    return noneWithinReach(kind, place, nearest, false, filtered(state));
  }

  function nearestKm(located) {
    return located.reduce(function (km, f) { return f.km !== null && (km === null || f.km < km) ? f.km : km; }, null);
  }

  function filtered(state) {
    return CRITERIA.some(function (name) { return state[name]; });
  }

  // A site limited to some régions (index.scope, generator/site/finder.py) knows nothing of
  // the places near a searched place outside them, nor of a département or région outside
  // them (a link made elsewhere): its nearest results are not the nearest that exist, and
  // « none found » would be false. Null when the place is inside, or its région unknown.
  function outsideScope(finder, state, place) {
    var scope = finder.index.scope;
    var region = finder.where(state, place).region;
    if (!scope || !region || scope.regions.indexOf(region) >= 0) return null;
    var who = place ? (place.here ? "Vous êtes" : place.label + " est") : state.dep ? "Ce département est" : "Cette région est";
    return who + " hors du territoire de ce site (" + scope.name + ") : il y a sans doute des lieux plus près, que ce site ne connaît pas.";
  }

  // How a record serving a territory covers the place, instead of a distance.
  function coverageText(row, place) {
    if (row.tn === 1) return "Pour toute la France";
    if ((row.tr || []).indexOf(place.region) >= 0) return "Pour toute la région";
    if ((row.td || []).indexOf(place.departement) >= 0) return "Pour tout le département";
    return "Pour votre commune";
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
    this.choose = form.querySelector("#pa-finder-choose");
    this.message = form.querySelector("#pa-finder-message");
    this.status = document.getElementById("pa-finder-status");
    this.results = document.getElementById("pa-finder-results");
    this.share = document.getElementById("pa-finder-share");
    this.more = form.querySelector("#pa-finder-more");
    this.state = stateFromLocation();
    this.placeText = "";
    this.limit = PER_KIND;
    this.generation = 0;
    this.replaceNext = false; // the next search replaces this history entry (a place named by a link)
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
      CRITERIA.forEach(function (name) { self.state[name] = ""; });
      self.fill();
      self.commit(true);
    });
    this.share.querySelector("#pa-finder-copy").addEventListener("click", function () { self.copyLink(); });
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
    // A position brought by a shared link moves from the address bar to the history entry.
    if (SHARED_POSITION.test(location.hash)) history.replaceState({ finder: Object.assign({}, this.state) }, "", queryFromState(this.state));
    // A place named in a link (« ?lieu=nanterre », from the search's answer without result) is searched
    // as if typed here, its homonyms offered to choose. Its answer takes the link's place in the
    // history: going back leads to the page of the link, not to a search again.
    var named = !this.state.cp && this.state.lat === "" && (new URLSearchParams(location.search).get("lieu") || "").trim();
    if (named) {
      this.input.value = named;
      this.replaceNext = true;
      this.submit(true);
    } else if (hasCriteria(this.state)) this.run();
    else {
      this.results.removeAttribute("aria-busy"); // set by passerelle-awaited.js for an address without criteria
      this.finder.ready().catch(function () {}); // loaded ahead; a failure is said by the search that needs it
    }
  };

  // Form ← state.
  Page.prototype.fill = function () {
    var state = this.state;
    var form = this.form;
    ["type", "categorie", "reg", "dep", "public", "acces", "q"].forEach(function (name) { form.elements[name].value = state[name]; });
    form.elements.ouvert.checked = !!state.ouvert;
    form.elements.pmr.checked = !!state.pmr;
    if (CRITERIA.some(function (n) { return state[n]; })) this.more.open = true;
    this.input.value = state.lat ? "" : state.cp;
    this.placeText = this.input.value;
    this.kindFromCategory();
  };

  // A category is of one kind (an MDPH is a resource): chosen without a kind, it searches its
  // kind, and the form says so. The answer then speaks of that kind (« Aucune ressource
  // trouvée ») and offers its other categories. The kind is the category's group in the list
  // (finder.html); a value in two groups (« autre ») is the first's, the one the list shows.
  Page.prototype.kindFromCategory = function () {
    var option = this.form.elements.categorie.selectedOptions[0];
    if (this.state.type || !this.state.categorie || !option) return;
    this.state.type = option.parentNode.getAttribute("data-kind") || "";
    this.form.elements.type.value = this.state.type;
  };

  // State ← form, then search. `linked`: the place was named by a link, not typed (`start`).
  Page.prototype.submit = function (linked) {
    var self = this;
    var form = this.form;
    ["type", "categorie", "reg", "dep", "public", "acces", "q"].forEach(function (name) { self.state[name] = form.elements[name].value.trim(); });
    this.state.ouvert = form.elements.ouvert.checked ? "1" : "";
    this.state.pmr = form.elements.pmr.checked ? "1" : "";
    this.kindFromCategory();
    var text = this.input.value.trim();
    this.closeSuggestions();
    if (text === this.placeText) return this.commit(true);
    if (!text) {
      Object.assign(this.state, { cp: "", insee: "", lat: "", lon: "", shared: "" });
      return this.commit(true);
    }
    if (/^\d{5}$/.test(text)) {
      Object.assign(this.state, { cp: text, insee: "", lat: "", lon: "", shared: "" });
      return this.commit(true);
    }
    return this.finder.suggest(text, CHOICES).then(function (found) {
      // Words of a search are a town's only when they are its whole name: « travail » starts the name
      // of Travaillan, and « manger » is a slip away from Mangé; neither was asked for.
      if (linked) found = found.filter(function (c) { return c.exact; });
      if (!found.length) {
        // Words that name no town: the finder waits for a place, as when opened without them.
        if (linked) {
          self.input.value = "";
          if (hasCriteria(self.state)) return self.commit(false);
          history.replaceState(null, "", location.pathname);
          return self.results.removeAttribute("aria-busy");
        }
        self.say("Nous ne trouvons pas « " + text + " ». Vérifiez le code postal ou le nom de la ville.", true);
        return;
      }
      // Only one commune has this name, or starts with it: that one. Several, a name only near what
      // was typed, or the only start of a name among a few letters, which may be another name with a
      // slip (« lyn »: Lynde, or Lyon?): the person chooses.
      var exact = found.filter(function (c) { return c.exact; });
      var candidates = exact.length ? exact : found;
      var one = candidates.length === 1 && !candidates[0].near;
      if (one && (candidates[0].exact || window.PasserelleWords.slipsAllowed(normalize(text)))) return self.pick(candidates[0]);
      self.offerChoices(text, candidates, exact.length > 0);
    }, function () {
      self.fail();
    });
  };

  Page.prototype.pick = function (commune) {
    Object.assign(this.state, { cp: commune.cp, insee: commune.insee, lat: "", lon: "", shared: "" });
    this.input.value = commune.nom;
    this.placeText = commune.nom;
    this.closeSuggestions();
    this.commit(true);
  };

  Page.prototype.commit = function (push) {
    var url = queryFromState(this.state);
    var entry = { finder: Object.assign({}, this.state) };
    if (push && !this.replaceNext && url !== location.search) history.pushState(entry, "", url);
    else history.replaceState(entry, "", url);
    this.replaceNext = false;
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
      Object.assign(self.state, { lat: String(position.coords.latitude), lon: String(position.coords.longitude), shared: "", cp: "", insee: "" });
      self.input.value = "";
      self.placeText = "";
      self.form.querySelector("#pa-finder-offer").hidden = true;
      // A new history entry (back returns to the previous search), with the same address.
      history.pushState({ finder: Object.assign({}, self.state) }, "", queryFromState(self.state));
      self.limit = PER_KIND;
      self.run();
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

  // A file of the search failed to load (a patchy connection): say so, never that the place
  // typed is unknown, and show no list left from another search under that message.
  var NOT_DONE = "La recherche n’a pas pu se faire. Vérifiez votre connexion et réessayez.";

  Page.prototype.fail = function () {
    this.results.removeAttribute("aria-busy");
    this.results.textContent = "";
    this.share.hidden = true;
    this.say(NOT_DONE, true);
  };

  // --- Communes to choose from ----------------------------------------------
  Page.prototype.suggestSoon = function () {
    var self = this;
    clearTimeout(this.suggestTimer);
    this.suggestTimer = setTimeout(function () { self.showSuggestions(); }, 120);
  };

  Page.prototype.showSuggestions = function () {
    var self = this;
    var text = this.input.value;
    this.finder.suggest(text, CHOICES).then(function (found) {
      if (self.input.value !== text) return;
      self.listCommunes(found);
      // The text the list answers: a list shown for the first letters is redrawn (and a focused
      // choice lost) when the next ones are typed; who drives the page waits for its own text.
      self.suggestions.setAttribute("data-for", text);
    }, function () {
      // The list stays empty: without a word, the person would think no commune has this name.
      if (self.input.value === text) self.say(NOT_DONE, true);
    });
  };

  // « Saint-Denis (93200) — Seine-Saint-Denis »: a name alone is not enough to choose.
  Page.prototype.communeText = function (commune) {
    var departement = this.finder.index.departements[departementOf(commune.insee)];
    return commune.nom + " (" + commune.cp + ")" + (departement ? " — " + departement[DEPARTEMENT_ROW.nom] : "");
  };

  Page.prototype.listCommunes = function (communes) {
    var self = this;
    this.choose.hidden = true;
    this.suggestions.textContent = "";
    communes.forEach(function (commune) {
      var item = element("li");
      var button = element("button", "pa-finder__suggestion", self.communeText(commune));
      button.type = "button";
      button.addEventListener("click", function () {
        self.pick(commune);
        self.input.focus();
      });
      item.appendChild(button);
      self.suggestions.appendChild(item);
    });
    this.suggestions.hidden = !communes.length;
  };

  // A name shared by several communes, or only near what was typed: nothing is picked; the list waits for a choice.
  Page.prototype.offerChoices = function (text, communes, sameName) {
    var question = communes[0].near
      ? "Nous ne trouvons pas « " + text + " ». Vouliez-vous dire " + (communes.length > 1 ? "l’une de ces communes ?" : "cette commune ?")
      : communes.length === 1
        ? "Une seule commune commence par « " + text + " ». Est-ce celle que vous cherchez ?"
        : (sameName ? "Plusieurs communes s’appellent « " : "Plusieurs communes commencent par « ") + text + " ». Laquelle cherchez-vous ?";
    this.generation++; // a search still loading would show results for another place
    this.listCommunes(communes);
    this.choose.textContent = question;
    this.choose.hidden = false;
    this.results.textContent = "";
    this.results.removeAttribute("aria-busy"); // set for a place named by a link (passerelle-awaited.js)
    this.share.hidden = true;
    this.message.hidden = true;
    this.status.textContent = question + " Choisissez-la dans la liste sous le champ.";
    this.suggestions.querySelector("button").focus();
  };

  Page.prototype.closeSuggestions = function () {
    clearTimeout(this.suggestTimer);
    this.suggestions.hidden = true;
    this.suggestions.textContent = "";
    this.choose.hidden = true;
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
      if (generation === self.generation) self.fail();
    });
  };

  Page.prototype.show = function (state, result) {
    var self = this;
    var labels = this.finder.index.labels;
    this.results.textContent = "";
    this.share.hidden = true;
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
    var territory = result.territory || [];
    var located = result.groups.reduce(function (all, g) { return all.concat(g.results); }, []);
    var found = territory.concat(located);
    var kind = state.type ? labels.kinds[state.type] : ANY_KIND;
    this.status.textContent = answer(state, kind, result.place, territory, located);
    var outside = outsideScope(this.finder, state, result.place);
    if (outside) {
      this.status.textContent += " " + outside;
      this.results.appendChild(element("p", "pa-finder__outside", outside));
    }
    this.showShare(state);
    if (!found.length) return this.showEmpty(state, result);
    result.groups.forEach(function (group) {
      var kindLabels = labels.kinds[group.kind];
      var note = farKindNote(state, kindLabels, result.place, group.results);
      var section = self.group(kindLabels[KIND_WORDS.heading], group.results, state, result.place, note);
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
    // After the nearest places: they are what most people look for.
    if (territory.length) this.results.appendChild(this.group("Pour votre territoire", territory, state, result.place));
    // Each kind asked for, or listed, that has few structures here, or fewer than a
    // source counted in the territory, says so.
    var where = this.finder.where(state, result.place);
    var kinds = state.type ? [state.type] : result.groups.map(function (g) { return g.kind; });
    kinds.forEach(function (k) {
      var known = self.finder.knownCount(k, where);
      if (self.isFew(k, found, result.place) || (known && known[KNOWN_COUNT_ROW.missing])) {
        self.results.appendChild(self.coverageBox(k, result.serving || [], known));
      }
    });
  };

  // A list of results under a heading; with a criterion a record may not say, the places
  // that say nothing of it come after the others, under their own heading (DOUBTS).
  Page.prototype.group = function (title, results, state, place, note) {
    var self = this;
    var section = element("section", "pa-finder__group");
    var heading = element("h2", null, title + " ");
    heading.appendChild(element("span", "pa-count", "(" + results.length + ")"));
    section.appendChild(heading);
    if (results[0] && results[0].territory) {
      var who = place.label === "vous" ? "là où vous êtes" : place.label;
      section.appendChild(element("p", "pa-finder__note", "Ces structures servent tout un territoire qui comprend " + who + " : elles n’ont pas de distance."));
    }
    if (note) section.appendChild(element("p", "pa-finder__note", note));
    var apart = doubts(state, results);
    var listed = results.filter(function (f) { return !apart.some(function (a) { return a.found.indexOf(f) >= 0; }); });
    function list(items) {
      var ol = element("ol", "pa-finder__list");
      items.forEach(function (f) { ol.appendChild(self.item(f, place)); });
      section.appendChild(ol);
    }
    if (listed.length) list(listed);
    apart.forEach(function (a) {
      if (!a.found.length) return;
      section.appendChild(element("h3", "pa-finder__unknown", a.doubt.heading));
      list(a.found);
    });
    return section;
  };

  Page.prototype.item = function (found, place) {
    var row = found.row;
    var labels = this.finder.index.labels;
    var item = element("li", "pa-finder__result");
    var link = element("a", "pa-finder__name", row.n);
    link.href = new URL(row.i + "/", this.finder.recordsBase).href;
    item.appendChild(link);
    if (row.s) item.appendChild(element("span", "pa-badge pa-badge--" + row.s, labels.statuts[row.s]));
    var where = [];
    if (found.territory) where.push(coverageText(row, place));
    if (row.v) where.push(row.v);
    if (found.km !== null) where.push(formatKm(found.km));
    if (found.km !== null && row.ap) where.push("position approximative");
    var addressless = isAddressless(row);
    if (addressless) where.push("sans adresse dans l’annuaire");
    item.appendChild(element("p", "pa-finder__where", where.join(" · ")));
    var what = labels.what[row.k + ":" + row.c] || labels.what[row.k];
    item.appendChild(element("p", "pa-finder__what", what));
    var details = [];
    if (row.t) {
      var phone = element("a", "pa-finder__phone", row.tt);
      phone.href = "tel:" + row.t;
      details.push(phone);
    }
    // Hours not given are said where one may come; of a record without an address, as on its page
    // (generator/site/model.py Entry.says), nothing: « Horaires non renseignés » would send nobody anywhere.
    if (!addressless || row.h || row.f || row.e) details.push(document.createTextNode(hoursText(row)));
    if (details.length) {
      var line = element("p", "pa-finder__details");
      details.forEach(function (part, index) {
        if (index) line.appendChild(document.createTextNode(" · "));
        line.appendChild(part);
      });
      item.appendChild(line);
    }
    // « Ajouter à ma sélection » (passerelle-selection.js, loaded before this script), if it can keep one.
    var keep = window.PasserelleSelection && window.PasserelleSelection.button(row.i, row.n);
    if (keep) item.appendChild(keep);
    return item;
  };

  // « Few » (see COVERAGE_MIN): the results of a kind near the place, or in the list.
  Page.prototype.isFew = function (kind, found, place) {
    var near = found.filter(function (f) {
      return f.row.k === kind && (!place || f.km === null || f.km <= COVERAGE_KM);
    });
    return near.length < COVERAGE_MIN;
  };

  // The most recent reference count of a kind for the territory searched (data/references.yaml,
  // generator/site/finder.py _coverage): the département's, else the région's, else the country's.
  Finder.prototype.knownCount = function (kind, where) {
    var counts = this.index.coverage.counts[kind] || {};
    var areas = [where.departement, where.region && "r" + where.region, "fr"];
    for (var i = 0; i < areas.length; i++) if (areas[i] && counts[areas[i]]) return counts[areas[i]];
    return null;
  };

  // The directory may not list every structure of this kind: say so (the resource
  // centre's wording, coverage_note), how many a source counted in the territory against
  // how many the directory lists, and whom to ask (resource centres serving the place,
  // the networks set for the kind, the site's contact).
  Page.prototype.coverageBox = function (kind, serving, known) {
    var index = this.finder.index;
    var box = element("div", "pa-finder__coverage");
    box.appendChild(element("p", null, index.coverage.note.split("{lieux}").join(index.labels.kinds[kind][KIND_WORDS.plural])));
    if (known) {
      box.appendChild(element("p", "pa-finder__known", known[KNOWN_COUNT_ROW.statement] + " " + known[KNOWN_COUNT_ROW.listed]));
      if (known[KNOWN_COUNT_ROW.stale]) box.appendChild(element("p", "pa-finder__known-old", known[KNOWN_COUNT_ROW.stale]));
      var source = element("p", "pa-finder__source", "Source : ");
      var title = known[KNOWN_COUNT_ROW.source_url] ? element("a", null, known[KNOWN_COUNT_ROW.source_title]) : document.createTextNode(known[KNOWN_COUNT_ROW.source_title]);
      if (known[KNOWN_COUNT_ROW.source_url]) title.href = known[KNOWN_COUNT_ROW.source_url];
      source.appendChild(title);
      source.appendChild(document.createTextNode(", " + known[KNOWN_COUNT_ROW.source_date] + "."));
      box.appendChild(source);
    }
    var ask = element("ul");
    var self = this;
    function record(id, name, why) {
      var item = element("li");
      var link = element("a", null, name);
      link.href = new URL(id + "/", self.finder.recordsBase).href;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" (" + why + ")"));
      ask.appendChild(item);
    }
    // Only a centre that gives a way to reach it (index.coverage.centres): else one more page without a contact.
    serving.forEach(function (row) {
      if (index.coverage.centres.indexOf(row.i) >= 0) record(row.i, row.n, "centre ressource de votre territoire");
    });
    (index.coverage.networks[kind] || []).forEach(function (network) {
      record(network[NETWORK_ROW.id], network[NETWORK_ROW.nom], network[NETWORK_ROW.why]);
    });
    if (index.coverage.contact) {
      var item = element("li", null, "l’équipe de cet annuaire : ");
      var mail = element("a", null, index.coverage.contact);
      mail.href = "mailto:" + index.coverage.contact;
      item.appendChild(mail);
      ask.appendChild(item);
    }
    if (ask.children.length) {
      box.appendChild(element("p", null, "Pour en trouver d’autres, renseignez-vous auprès de :"));
      box.appendChild(ask);
    }
    return box;
  };

  Page.prototype.showEmpty = function (state, result) {
    var self = this;
    var labels = this.finder.index.labels;
    var box = element("div", "pa-finder__empty");
    box.appendChild(element("p", null, this.status.textContent));
    var tips = element("ul");
    if (CRITERIA.some(function (n) { return state[n]; })) {
      tips.appendChild(element("li", null, "Retirez un critère (« Plus de critères », puis « Effacer les critères »)."));
    }
    // With a category, its kind would come back (kindFromCategory): removing the criterion is the way.
    if (state.type && !state.categorie) tips.appendChild(element("li", null, "Choisissez « Tous les types de lieux »."));
    if (!result.place) tips.appendChild(element("li", null, "Indiquez votre code postal ou votre ville pour voir les lieux les plus proches."));
    var guide = state.type && this.finder.index.coverage.guides[state.type];
    if (guide) {
      // Always a next step, even where the directory knows nobody to ask: what this kind of
      // place is and how to go there (for an ESMS, a request to the MDPH).
      var read = element("li");
      var link = element("a", null, "Comprendre ce que c’est, pour qui, et comment y aller");
      link.href = new URL(guide, document.baseURI).href;
      read.appendChild(link);
      tips.appendChild(read);
    }
    box.appendChild(tips);
    this.results.appendChild(box);
    if (state.type) {
      var known = this.finder.knownCount(state.type, this.finder.where(state, result.place));
      this.results.appendChild(this.coverageBox(state.type, result.serving || [], known));
    }
    this.finder.alternatives(state, result.place).then(function (other) {
      if (!other.found.length || !box.isConnected) return;
      var line = element("p", null, other.otherCategory ? "Dans une autre catégorie : " : "Le lieu le plus proche d’un autre type : ");
      other.found.forEach(function (found, at) {
        if (at) line.appendChild(document.createTextNode(", "));
        var link = element("a", null, found.row.n);
        link.href = new URL(found.row.i + "/", self.finder.recordsBase).href;
        line.appendChild(link);
        var category = found.row.c && labels.categories[found.row.c];
        var kindNoun = labels.kinds[found.row.k][KIND_WORDS.singular];
        var what = other.otherCategory ? category || kindNoun : kindNoun;
        line.appendChild(document.createTextNode(" (" + what + (found.km !== null ? ", " + formatKm(found.km) : "") + ")"));
      });
      line.appendChild(document.createTextNode("."));
      box.appendChild(line);
      if (!other.otherCategory) return;
      // Without a kind: a category the form does not list (an employer's type, in a link made by hand).
      var all = element("button", "md-button", state.type
        ? "Voir les " + labels.kinds[state.type][KIND_WORDS.plural] + " de toutes les catégories"
        : "Voir toutes les catégories");
      all.type = "button";
      all.addEventListener("click", function () {
        self.state.categorie = "";
        self.fill();
        self.commit(true);
      });
      box.appendChild(all);
    }, function () {
      if (box.isConnected) box.appendChild(element("p", null, "La recherche d’autres propositions n’a pas pu se faire. Vérifiez votre connexion et réessayez."));
    });
  };

  // --- Sharing ----------------------------------------------------------------
  Page.prototype.showShare = function (state) {
    var withPosition = state.lat !== "";
    this.share.hidden = false;
    this.share.querySelector("#pa-finder-copy").textContent = withPosition
      ? "Copier un lien vers ces résultats (avec votre position approximative)"
      : "Copier un lien vers ces résultats";
    this.share.querySelector("#pa-finder-share-hint").hidden = !withPosition;
    this.share.querySelector("#pa-finder-link-field").hidden = true;
  };

  Page.prototype.copyLink = function () {
    var self = this;
    var link = shareLink(this.state);
    var field = this.share.querySelector("#pa-finder-link-field");
    var input = field.querySelector("input");
    input.value = link;
    field.hidden = false;
    var copied = navigator.clipboard ? navigator.clipboard.writeText(link) : Promise.reject(new Error("no clipboard"));
    copied.then(function () {
      self.status.textContent = "Le lien est copié. Vous pouvez le coller dans un message.";
    }, function () {
      input.focus();
      input.select();
      self.status.textContent = "Copiez le lien affiché sous le bouton.";
    });
  };

  // Exposed for the tests and the benchmark (bench/finder.py).
  window.PasserelleFinder = {
    normalize: normalize,
    departementOf: departementOf,
    Finder: Finder,
    stateFromQuery: stateFromQuery,
    queryFromState: queryFromState,
  };

  var form = document.getElementById("pa-finder");
  if (form) {
    var page = new Page(form);
    window.PasserelleFinder.page = page;
    page.start();
  }
})();
