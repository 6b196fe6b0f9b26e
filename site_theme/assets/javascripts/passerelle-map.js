/* Passerelle maps: draws each [data-pa-map] container of the page with Leaflet and MarkerCluster.
 *
 * Everything comes from data-attributes written by site_theme/passerelle/_map.html:
 * data-zones (a JSON file of zone rows, with data-places-at-once), data-src (a JSON file of
 * marker rows) or data-marker (one marker row), data-kinds (the kinds of the marker rows'
 * `kind`), data-statuses (what each status a popup may show means), data-root, data-record-url,
 * data-tile-url, data-tile-attribution, data-bounds.
 * Rows are arrays: MARKER_ROW, MAP_KIND, ZONE_ROW and BOUNDING_BOX name their fields, as
 * generator/site/shapes.py writes them (tests/test_shapes.py checks the two agree).
 *
 * A zoned map (national, région) draws one circle per zone (a département) with its count,
 * until the zones in view hold few enough places or the view is close: then it fetches the
 * files of the zones in view and draws their places. A map of 50,000 places thus starts with
 * about a hundred markers, and a phone stays responsive (generator/site/map_blocks.py).
 *
 * No inline script and no style attribute are written, so a strict Content-Security-Policy holds.
 * When the markers (or circles) are drawn the container gets data-ready="true" (tests and
 * bench/maps.py wait for it) and a `paMap` property ({map, cluster, byKind, circles}) that the
 * browser tests read.
 */
(function () {
  "use strict";

  var PIN = 26;
  var CLUSTER = 40;
  var RECORD_ZOOM = 15;
  var APPROXIMATE_ZOOM = 12;
  var FIT_MAX_ZOOM = 12;
  // From this zoom on, a zoned map draws places, however many its zones in view hold.
  var DETAIL_ZOOM = 10;
  var CHUNK_MS = 40;

  var MARKER_ROW = {"lat": 0, "lon": 1, "kind": 2, "approximate": 3, "id": 4, "name": 5, "commune": 6, "status": 7, "closures": 8, "time_zone": 9};  // generator/site/shapes.py
  var MAP_KIND = {"value": 0, "label": 1};  // generator/site/shapes.py
  var ZONE_ROW = {"code": 0, "name": 1, "lat": 2, "lon": 3, "counts": 4, "box": 5, "file": 6};  // generator/site/shapes.py
  var BOUNDING_BOX = {"south": 0, "west": 1, "north": 2, "east": 3};  // generator/site/shapes.py

  function text(tag, className, content) {
    var element = document.createElement(tag);
    element.className = className;
    element.textContent = content;
    return element;
  }

  function plural(count, one, many) {
    return count.toLocaleString("fr-FR") + " " + (count > 1 ? many : one);
  }

  function Drawing(container) {
    this.container = container;
    this.block = container.closest("[data-pa-map-block]");
    this.kinds = JSON.parse(container.dataset.kinds);
    this.statuses = JSON.parse(container.dataset.statuses || "{}");
    this.root = new URL(container.dataset.root, window.location.href);
    this.recordUrl = container.dataset.recordUrl;
    this.icons = {};
    this.byKind = {};  // kind → the markers of the places fetched so far
  }

  Drawing.prototype.icon = function (kindIndex, approximate) {
    var key = kindIndex + ":" + approximate;
    if (!this.icons[key]) {
      this.icons[key] = L.divIcon({
        className: "pa-pin pa-pin--" + this.kinds[kindIndex][MAP_KIND.value] + (approximate ? " pa-pin--approx" : ""),
        html: "",
        iconSize: [PIN, PIN],
        popupAnchor: [0, -PIN / 2],
      });
    }
    return this.icons[key];
  };

  Drawing.prototype.kindLabel = function (row) {
    return this.kinds[row[MARKER_ROW.kind]][MAP_KIND.label];
  };

  Drawing.prototype.describe = function (row) {
    var words = row[MARKER_ROW.name] + " — " + this.kindLabel(row);
    if (row[MARKER_ROW.commune]) words += ", " + row[MARKER_ROW.commune];
    if (row[MARKER_ROW.status]) words += " — " + row[MARKER_ROW.status];
    return row[MARKER_ROW.approximate] ? words + " (position approximative)" : words;
  };

  Drawing.prototype.marker = function (row) {
    var marker = L.marker([row[MARKER_ROW.lat], row[MARKER_ROW.lon]], {
      icon: this.icon(row[MARKER_ROW.kind], row[MARKER_ROW.approximate]),
      title: this.describe(row),
      keyboard: true,
    });
    marker.paRow = row;
    return marker;
  };

  // « À confirmer » alone says nothing of what is to confirm: the popup says it, as the lists' key does.
  Drawing.prototype.statusText = function (label) {
    var meaning = this.statuses[label];
    return meaning ? label + " : " + meaning.charAt(0).toLowerCase() + meaning.slice(1) : label;
  };

  Drawing.prototype.popup = function (row) {
    var box = document.createElement("div");
    box.className = "pa-popup";
    box.appendChild(text("p", "pa-popup__name", row[MARKER_ROW.name]));
    box.appendChild(text("p", "pa-popup__kind", this.kindLabel(row) + (row[MARKER_ROW.commune] ? " — " + row[MARKER_ROW.commune] : "")));
    if (row[MARKER_ROW.status]) box.appendChild(text("p", "pa-popup__status", this.statusText(row[MARKER_ROW.status])));
    var closure = this.closureText(row[MARKER_ROW.closures], row[MARKER_ROW.time_zone]);
    if (closure) box.appendChild(text("p", "pa-popup__closure", closure));
    if (row[MARKER_ROW.approximate]) box.appendChild(text("p", "pa-popup__approx", "Position approximative : centre de la commune."));
    var link = text("a", "pa-popup__link", "Voir la fiche");
    link.href = new URL(this.recordUrl.replace("__id__", encodeURIComponent(row[MARKER_ROW.id])), window.location.href).href;
    var line = document.createElement("p");
    line.appendChild(link);
    box.appendChild(line);
    return box;
  };

  // Closures [[du, au], …] not over at the build, checked against the place's day (passerelle-days.js).
  Drawing.prototype.closureText = function (closures, timeZone) {
    var days = window.PasserelleDays;
    if (!closures || !days) return "";
    var today = days.today(timeZone);
    if (days.closureOn(closures, today)) return "Fermé aujourd’hui (fermeture exceptionnelle)";
    var next = days.comingClosures(closures, today)[0];
    return next ? "Fermeture exceptionnelle " + days.periodText(next[0], next[1]) : "";
  };

  Drawing.prototype.start = function () {
    var container = this.container;
    container.textContent = "";
    container.classList.add("pa-map--live");
    // Zooms 3 to 18 (a wider view shows nothing more, a closer one no other place): fewer levels for the clusters to compute.
    this.map = L.map(container, { zoomControl: false, scrollWheelZoom: false, minZoom: 3, maxZoom: 18 });
    this.map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    L.control.zoom({ zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière" }).addTo(this.map);
    L.tileLayer(container.dataset.tileUrl, { attribution: container.dataset.tileAttribution, maxZoom: 19 }).addTo(this.map);
    var map = this.map;
    this.map.on("popupopen", function (event) {
      // Leaflet names its close button in English, leaves focus behind, and closes a popup on Escape
      // only while the map itself has the focus: fix the three for keyboard users.
      var popup = event.popup.getElement();
      var close = popup.querySelector(".leaflet-popup-close-button");
      if (close) close.setAttribute("aria-label", "Fermer");
      var link = popup.querySelector("a.pa-popup__link");
      if (link) link.focus({ preventScroll: true });
      if (!popup.paClosesOnEscape) {
        popup.paClosesOnEscape = true;
        popup.addEventListener("keydown", function (e) { if (e.key === "Escape") map.closePopup(); });
      }
    });
    var key = this.block && this.block.querySelector("[data-pa-map-key]");
    if (key) key.hidden = false;
    if (container.dataset.marker) {
      this.drawOne(JSON.parse(container.dataset.marker));
    } else if (container.dataset.zones) {
      this.fetchRows(container.dataset.zones, this.drawZones);
    } else {
      this.fetchRows(container.dataset.src, this.drawMany);
    }
  };

  Drawing.prototype.drawOne = function (row) {
    this.map.setView([row[MARKER_ROW.lat], row[MARKER_ROW.lon]], row[MARKER_ROW.approximate] ? APPROXIMATE_ZOOM : RECORD_ZOOM);
    var marker = this.marker(row).addTo(this.map);
    this.container.paMap = { map: this.map, cluster: null, byKind: { [row[MARKER_ROW.kind]]: [marker] } };
    this.ready();
  };

  // Fetches a file of rows (from the site's root) and hands them to `draw`, called on the drawing.
  Drawing.prototype.fetchRows = function (src, draw) {
    var drawing = this;
    return fetch(new URL(src, this.root))
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.url);
        return response.json();
      })
      .then(function (rows) { return draw.call(drawing, rows); })
      .catch(function (error) {
        drawing.status("La carte n'a pas pu être chargée. Toutes les structures sont dans la liste de cette page.");
        drawing.container.setAttribute("data-ready", "error");
        throw error;
      });
  };

  // The marker of a place, kept by kind for the layer toggles.
  Drawing.prototype.keep = function (row) {
    var drawing = this;
    var marker = this.marker(row);
    marker.bindPopup(function () { return drawing.popup(row); });
    // Closed from inside (« Fermer », Escape), the popup takes the focus with it: give it back to its
    // marker, where the keyboard user was, rather than to the start of the page.
    marker.on("popupclose", function (event) {
      var pin = marker.getElement();
      var focused = document.activeElement;
      var lost = !focused || focused === document.body || event.popup.getElement().contains(focused);
      if (pin && lost) pin.focus({ preventScroll: true });
    });
    (this.byKind[row[MARKER_ROW.kind]] = this.byKind[row[MARKER_ROW.kind]] || []).push(marker);
    return marker;
  };

  Drawing.prototype.clusterGroup = function () {
    var drawing = this;
    return L.markerClusterGroup({
      chunkedLoading: true,
      // Chunks short enough that a phone answers a touch between two (MarkerCluster's default: 200 ms).
      chunkInterval: CHUNK_MS,
      chunkDelay: 1,
      chunkProgress: function (done, total) {
        // Called before the last chunk is put on the map: report once it is. Adding the group
        // to the map reports an empty batch (0 of 0) first: that one is not ours.
        if (total && done === total) setTimeout(function () { drawing.shown(); }, 0);
      },
      showCoverageOnHover: false,
      iconCreateFunction: function (cluster) { return drawing.clusterIcon(cluster.getChildCount(), " lieux ici : zoomer pour les voir"); },
    });
  };

  // The markers of these rows, made in short tasks (a phone answers a touch between two), then `then(markers)`.
  Drawing.prototype.keepAll = function (rows, then) {
    var drawing = this;
    var markers = [];
    (function next() {
      var stop = performance.now() + CHUNK_MS;
      while (markers.length < rows.length && performance.now() < stop) markers.push(drawing.keep(rows[markers.length]));
      if (markers.length < rows.length) setTimeout(next, 0);
      else then.call(drawing, markers);
    })();
  };

  Drawing.prototype.drawMany = function (rows) {
    this.keepAll(rows, function (markers) { this.drawMarkers(rows, markers); });
  };

  // The first view: data-bounds if the page gives them, else `around()`, the bounds of what the map shows.
  Drawing.prototype.fit = function (around) {
    var bounds = this.container.dataset.bounds ? L.latLngBounds(JSON.parse(this.container.dataset.bounds)) : around();
    this.map.fitBounds(bounds, { maxZoom: FIT_MAX_ZOOM, padding: [PIN, PIN] });
  };

  Drawing.prototype.drawMarkers = function (rows, markers) {
    this.fit(function () { return L.latLngBounds(rows.map(function (row) { return [row[MARKER_ROW.lat], row[MARKER_ROW.lon]]; })); });
    this.cluster = this.clusterGroup().addTo(this.map);
    this.container.paMap = { map: this.map, cluster: this.cluster, byKind: this.byKind };
    this.toggles();
    this.add(markers);
  };

  Drawing.prototype.drawZones = function (zones) {
    var drawing = this;
    this.zones = zones;
    this.fetched = {};  // zone code → true once its file is asked for
    this.placesAtOnce = Number(this.container.dataset.placesAtOnce);
    this.total = this.count(zones, Object.keys(this.kinds));
    this.fit(function () { return L.latLngBounds(zones.map(function (zone) { return drawing.boxOf(zone); })); });
    this.cluster = this.clusterGroup();
    // Circles near one another on screen (Paris and its neighbours, on a map of France) merge,
    // with the sum of their counts.
    this.circles = L.markerClusterGroup({
      maxClusterRadius: CLUSTER + 8,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: false,
      iconCreateFunction: function (group) {
        var zones = group.getAllChildMarkers();
        var count = zones.reduce(function (sum, circle) { return sum + circle.paCount; }, 0);
        return drawing.clusterIcon(count, " lieux dans " + zones.length + " départements : zoomer pour les voir");
      },
    });
    this.container.paMap = { map: this.map, cluster: this.cluster, byKind: this.byKind, circles: this.circles };
    this.toggles();
    this.map.on("moveend", function () { drawing.follow(false); });
    this.follow(false);
  };

  Drawing.prototype.boxOf = function (zone) {
    var box = zone[ZONE_ROW.box];
    return L.latLngBounds([box[BOUNDING_BOX.south], box[BOUNDING_BOX.west]], [box[BOUNDING_BOX.north], box[BOUNDING_BOX.east]]);
  };

  // How many places of these kinds the zones hold.
  Drawing.prototype.count = function (zones, kinds) {
    return zones.reduce(function (sum, zone) {
      return kinds.reduce(function (total, kind) { return total + zone[ZONE_ROW.counts][kind]; }, sum);
    }, 0);
  };

  // Places or circles, for the view shown now; `changed`: the checked kinds changed.
  // Nothing is switched while markers are being added: `shown` calls again once they are.
  Drawing.prototype.follow = function (changed) {
    if (this.adding) {
      this.pending = true;
      return;
    }
    var view = this.map.getBounds();
    var drawing = this;
    var zones = this.total <= this.placesAtOnce
      ? this.zones
      : this.zones.filter(function (zone) { return view.intersects(drawing.boxOf(zone)); });
    if (this.map.getZoom() >= DETAIL_ZOOM || this.count(zones, this.checked()) <= this.placesAtOnce) {
      this.showPlaces(zones, changed);
    } else {
      this.showZones(changed);
    }
  };

  Drawing.prototype.showPlaces = function (zones, changed) {
    var drawing = this;
    var entering = this.mode !== "places";
    if (entering) {
      this.mode = "places";
      this.map.removeLayer(this.circles);
      this.cluster.addTo(this.map);
    }
    var fresh = zones.filter(function (zone) { return !drawing.fetched[zone[ZONE_ROW.code]]; });
    if (!fresh.length) {
      if (entering || changed) this.redraw();
      return;
    }
    fresh.forEach(function (zone) { drawing.fetched[zone[ZONE_ROW.code]] = true; });
    var files = fresh.map(function (zone) {
      return drawing.fetchRows(zone[ZONE_ROW.file], function (rows) {
        return new Promise(function (done) { drawing.keepAll(rows, done); });
      });
    });
    Promise.all(files).then(function () {
      if (drawing.mode === "places") drawing.redraw();
    });
  };

  Drawing.prototype.showZones = function (changed) {
    if (this.mode === "zones" && !changed) return;  // the circles do not depend on the view
    var drawing = this;
    var kinds = this.checked();
    var shown = 0;
    if (this.mode === "places") this.map.removeLayer(this.cluster);
    this.mode = "zones";
    var circles = [];
    this.zones.forEach(function (zone) {
      var count = drawing.count([zone], kinds);
      shown += count;
      if (count) circles.push(drawing.circle(zone, count));
    });
    this.circles.clearLayers();
    this.circles.addTo(this.map);
    this.circles.addLayers(circles);
    this.status(plural(shown, "lieu", "lieux") + " sur la carte, comptés par département : zoomez, ou choisissez un département, pour voir les lieux.");
    this.ready();
  };

  Drawing.prototype.circle = function (zone, count) {
    var drawing = this;
    var circle = L.marker([zone[ZONE_ROW.lat], zone[ZONE_ROW.lon]], {
      icon: this.clusterIcon(count, " lieux : " + zone[ZONE_ROW.name] + ", voir les lieux"),
      title: zone[ZONE_ROW.name] + " : " + plural(count, "lieu", "lieux") + ", voir les lieux",
      keyboard: true,
    });
    circle.paCount = count;
    circle.on("click keypress", function (event) {
      if (event.type === "click" || event.originalEvent.key === "Enter") drawing.zoomTo(zone);
    });
    return circle;
  };

  Drawing.prototype.zoomTo = function (zone) {
    var bounds = this.boxOf(zone);
    var zoom = Math.max(Math.min(this.map.getBoundsZoom(bounds.pad(0.1)), FIT_MAX_ZOOM), DETAIL_ZOOM);
    this.map.setView(bounds.getCenter(), zoom);
    // The circle is gone with the view: the keyboard stays on the map, not at the top of the page.
    this.container.focus({ preventScroll: true });
  };

  Drawing.prototype.add = function (markers) {
    if (!markers.length) return this.shown();
    this.adding = true;
    this.cluster.addLayers(markers);
  };

  // A group's circle: its count, and what it is for a screen reader (`words`).
  Drawing.prototype.clusterIcon = function (count, words) {
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    var label = count.toLocaleString("fr-FR");
    var content = document.createElement("span");
    content.appendChild(text("span", "pa-cluster__count", label));
    content.appendChild(text("span", "pa-visually-hidden", words));
    var width = Math.max(CLUSTER, 16 + 10 * label.length);  // « 12 345 » fits
    return L.divIcon({ className: "pa-cluster pa-cluster--" + size, html: content, iconSize: [width, CLUSTER] });
  };

  Drawing.prototype.toggles = function () {
    var fieldset = this.block && this.block.querySelector("[data-pa-map-layers]");
    if (!fieldset) return;
    var drawing = this;
    this.boxes = fieldset.querySelectorAll("input[type=checkbox]");
    fieldset.hidden = false;
    this.boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        if (drawing.zones) drawing.follow(true);
        else drawing.redraw();
      });
    });
  };

  // The kinds shown: those checked, or every kind of a map without toggles.
  Drawing.prototype.checked = function () {
    if (!this.boxes) return Object.keys(this.kinds);
    return Array.prototype.filter.call(this.boxes, function (box) { return box.checked; }).map(function (box) { return box.value; });
  };

  // removeLayers() of tens of thousands of markers takes minutes; clearing the group and
  // adding back the checked kinds (chunked) takes about as long as the first drawing.
  // A change made while markers are still being added waits for them, so no stale chunk lands.
  Drawing.prototype.redraw = function () {
    if (this.adding) {
      this.pending = true;
      return;
    }
    var drawing = this;
    var shown = [];
    this.checked().forEach(function (kind) { shown = shown.concat(drawing.byKind[kind] || []); });
    this.cluster.clearLayers();
    this.add(shown);
  };

  Drawing.prototype.shown = function () {
    this.adding = false;
    if (this.pending) {
      this.pending = false;
      if (this.zones) return this.follow(true);
      return this.redraw();
    }
    this.status(plural(this.cluster.getLayers().length, "lieu affiché", "lieux affichés") + " sur la carte.");
    this.ready();
  };

  Drawing.prototype.status = function (message) {
    var status = this.block && this.block.querySelector("[data-pa-map-status]");
    if (status) status.textContent = message;
  };

  Drawing.prototype.ready = function () {
    if (!this.container.hasAttribute("data-ready")) performance.mark("passerelle-map-ready");
    this.container.setAttribute("data-ready", "true");
  };

  document.querySelectorAll("[data-pa-map]:not([data-pa-map-started])").forEach(function (container) {
    container.setAttribute("data-pa-map-started", "");
    if (window.L) new Drawing(container).start();
  });
})();
