/* Passerelle maps: draws each [data-pa-map] container of the page with Leaflet and MarkerCluster.
 *
 * Everything comes from data-attributes written by site_theme/passerelle/_map.html:
 * data-src (a JSON file of marker rows) or data-marker (one marker row), data-kinds (the kinds
 * of the marker rows' `kind`), data-root, data-record-url, data-tile-url, data-tile-attribution,
 * data-bounds. Rows are arrays: MARKER_ROW and MAP_KIND name their fields, as
 * generator/site/shapes.py writes them (tests/test_shapes.py checks the two agree).
 * No inline script and no style attribute are written, so a strict Content-Security-Policy holds.
 * When the markers are drawn the container gets data-ready="true" (tests and bench/maps.py wait
 * for it) and a `paMap` property ({map, cluster, byKind}) that the browser tests read.
 */
(function () {
  "use strict";

  var PIN = 26;
  var CLUSTER = 40;
  var RECORD_ZOOM = 15;
  var APPROXIMATE_ZOOM = 12;
  var FIT_MAX_ZOOM = 12;

  var MARKER_ROW = {"lat": 0, "lon": 1, "kind": 2, "approximate": 3, "id": 4, "name": 5, "commune": 6, "status": 7, "closures": 8};  // generator/site/shapes.py
  var MAP_KIND = {"value": 0, "label": 1};  // generator/site/shapes.py

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
    this.root = new URL(container.dataset.root, window.location.href);
    this.recordUrl = container.dataset.recordUrl;
    this.icons = {};
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

  Drawing.prototype.popup = function (row) {
    var box = document.createElement("div");
    box.className = "pa-popup";
    box.appendChild(text("p", "pa-popup__name", row[MARKER_ROW.name]));
    box.appendChild(text("p", "pa-popup__kind", this.kindLabel(row) + (row[MARKER_ROW.commune] ? " — " + row[MARKER_ROW.commune] : "")));
    if (row[MARKER_ROW.status]) box.appendChild(text("p", "pa-popup__status", row[MARKER_ROW.status]));
    var closure = this.closureText(row[MARKER_ROW.closures]);
    if (closure) box.appendChild(text("p", "pa-popup__closure", closure));
    if (row[MARKER_ROW.approximate]) box.appendChild(text("p", "pa-popup__approx", "Position approximative : centre de la commune."));
    var link = text("a", "pa-popup__link", "Voir la fiche");
    link.href = new URL(this.recordUrl.replace("__id__", encodeURIComponent(row[MARKER_ROW.id])), window.location.href).href;
    var line = document.createElement("p");
    line.appendChild(link);
    box.appendChild(line);
    return box;
  };

  // Closures [[du, au], …] not over at the build, checked against the visitor's day (passerelle-days.js).
  Drawing.prototype.closureText = function (closures) {
    var days = window.PasserelleDays;
    if (!closures || !days) return "";
    var today = days.today();
    if (days.closureOn(closures, today)) return "Fermé aujourd’hui (fermeture exceptionnelle)";
    var next = days.comingClosures(closures, today)[0];
    return next ? "Fermeture exceptionnelle " + days.periodText(next[0], next[1]) : "";
  };

  Drawing.prototype.start = function () {
    var container = this.container;
    container.textContent = "";
    container.classList.add("pa-map--live");
    this.map = L.map(container, { zoomControl: false, scrollWheelZoom: false });
    this.map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    L.control.zoom({ zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière" }).addTo(this.map);
    L.tileLayer(container.dataset.tileUrl, { attribution: container.dataset.tileAttribution, maxZoom: 19 }).addTo(this.map);
    this.map.on("popupopen", function (event) {
      // Leaflet names its close button in English and leaves focus behind: fix both for keyboard users.
      var popup = event.popup.getElement();
      var close = popup.querySelector(".leaflet-popup-close-button");
      if (close) close.setAttribute("aria-label", "Fermer");
      var link = popup.querySelector("a.pa-popup__link");
      if (link) link.focus({ preventScroll: true });
    });
    var key = this.block && this.block.querySelector("[data-pa-map-key]");
    if (key) key.hidden = false;
    if (container.dataset.marker) {
      this.drawOne(JSON.parse(container.dataset.marker));
    } else {
      this.load();
    }
  };

  Drawing.prototype.drawOne = function (row) {
    this.map.setView([row[MARKER_ROW.lat], row[MARKER_ROW.lon]], row[MARKER_ROW.approximate] ? APPROXIMATE_ZOOM : RECORD_ZOOM);
    var marker = this.marker(row).addTo(this.map);
    this.container.paMap = { map: this.map, cluster: null, byKind: { [row[MARKER_ROW.kind]]: [marker] } };
    this.ready();
  };

  Drawing.prototype.load = function () {
    var drawing = this;
    fetch(new URL(this.container.dataset.src, this.root))
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.url);
        return response.json();
      })
      .then(function (rows) { drawing.drawMany(rows); })
      .catch(function (error) {
        drawing.status("La carte n'a pas pu être chargée. Toutes les structures sont dans la liste de cette page.");
        drawing.container.setAttribute("data-ready", "error");
        throw error;
      });
  };

  Drawing.prototype.drawMany = function (rows) {
    var drawing = this;
    var byKind = {};
    var all = [];
    rows.forEach(function (row) {
      var marker = drawing.marker(row);
      marker.bindPopup(function () { return drawing.popup(row); });
      (byKind[row[MARKER_ROW.kind]] = byKind[row[MARKER_ROW.kind]] || []).push(marker);
      all.push(marker);
    });
    var bounds = this.container.dataset.bounds
      ? L.latLngBounds(JSON.parse(this.container.dataset.bounds))
      : L.latLngBounds(rows.map(function (row) { return [row[MARKER_ROW.lat], row[MARKER_ROW.lon]]; }));
    this.map.fitBounds(bounds, { maxZoom: FIT_MAX_ZOOM, padding: [PIN, PIN] });
    this.cluster = L.markerClusterGroup({
      chunkedLoading: true,
      chunkProgress: function (done, total) {
        // Called before the last chunk is put on the map: report once it is. Adding the group
        // to the map reports an empty batch (0 of 0) first: that one is not ours.
        if (total && done === total) setTimeout(function () { drawing.shown(); }, 0);
      },
      showCoverageOnHover: false,
      iconCreateFunction: function (cluster) { return drawing.clusterIcon(cluster.getChildCount()); },
    }).addTo(this.map);
    this.container.paMap = { map: this.map, cluster: this.cluster, byKind: byKind };
    this.toggles(byKind);
    this.add(all);
  };

  Drawing.prototype.add = function (markers) {
    if (!markers.length) return this.shown();
    this.adding = true;
    this.cluster.addLayers(markers);
  };

  Drawing.prototype.clusterIcon = function (count) {
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    var content = document.createElement("span");
    content.appendChild(text("span", "pa-cluster__count", count.toLocaleString("fr-FR")));
    content.appendChild(text("span", "pa-visually-hidden", " lieux ici : zoomer pour les voir"));
    return L.divIcon({ className: "pa-cluster pa-cluster--" + size, html: content, iconSize: [CLUSTER, CLUSTER] });
  };

  Drawing.prototype.toggles = function (byKind) {
    var fieldset = this.block && this.block.querySelector("[data-pa-map-layers]");
    if (!fieldset) return;
    var cluster = this.cluster;
    var drawing = this;
    var boxes = fieldset.querySelectorAll("input[type=checkbox]");
    fieldset.hidden = false;
    // removeLayers() of tens of thousands of markers takes minutes; clearing the group and
    // adding back the checked kinds (chunked) takes about as long as the first drawing.
    // A change made while markers are still being added waits for them, so no stale chunk lands.
    this.redraw = function () {
      if (drawing.adding) {
        drawing.pending = true;
        return;
      }
      var shown = [];
      boxes.forEach(function (box) {
        if (box.checked) shown = shown.concat(byKind[box.value] || []);
      });
      cluster.clearLayers();
      drawing.add(shown);
    };
    boxes.forEach(function (box) { box.addEventListener("change", drawing.redraw); });
  };

  Drawing.prototype.shown = function () {
    this.adding = false;
    if (this.pending) {
      this.pending = false;
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
