/* Baqylau's facility map (Leaflet): no inline scripts, data from <script type="application/json"> blocks. */
(function () {
  "use strict";

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  var mapLabels = {};  // the words of the map being drawn (its data carries them)
  function text(key) {
    var labels = data("page-labels") || {};
    return mapLabels[key] || labels[key] || key;
  }
  var STATUS_COLOURS = {
    done: "#1e7b34", on_track: "#0f6f8a", at_risk: "#a35a00", late: "#b3261e", not_started: "#5c6470",
    unknown: "#5c6470"
  };

  // The worst status among a cluster's facilities colours it, as a territory point is coloured.
  var WORST_FIRST = ["late", "at_risk", "on_track", "not_started", "done", "unknown"];
  function worstOf(statuses) {
    return WORST_FIRST.filter(function (s) { return statuses.indexOf(s) >= 0; })[0] || "unknown";
  }

  function line(box, label, value) {
    if (!value) return;
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(label + ": " + value));
  }

  // A node, never a string: Leaflet would read a string as HTML (escaping must not rest on the CSP).
  function popup(f) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = f.url; link.textContent = f.name + " (" + f.measure + ")";
    box.appendChild(link);
    line(box, text("status"), text(f.status));
    line(box, text("capacity"), f.capacity);
    if (f.commissioned) line(box, text("commissioned"), f.commissioned);
    else line(box, text("commissioning planned"), f.commission_planned);
    return box;
  }

  function outlines(map, el, url, fit) {
    map.createPane("outlines").style.zIndex = 350;  // under the facilities
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (geo) {
      var layer = L.geoJSON(geo, { pane: "outlines", interactive: false, style: function (feature) {
        var region = feature.properties.level === "region";
        return { className: "outline outline-" + feature.properties.level, color: "#1b1f24",
          weight: region ? 2.5 : 1, opacity: region ? 0.9 : 0.6, fill: region, fillColor: "#f4efe1",
          fillOpacity: region ? 0.6 : 0, dashArray: region ? null : "4 3" };
      } }).addTo(map);
      layer.eachLayer(function (part) {
        if (part.feature.properties.level !== "district") return;
        // District names sit on the map itself: with no tiles they are what tells the places apart.
        var name = document.createElement("span");
        name.textContent = part.feature.properties.name;
        L.tooltip({ permanent: true, direction: "center", className: "district-name", interactive: false })
          .setContent(name).setLatLng(part.getBounds().getCenter()).addTo(map);
      });
      if (fit) map.fitBounds(layer.getBounds(), { padding: [10, 10], animate: false });
      el.dataset.outlines = String(geo.features.length);
    }).catch(function () { el.dataset.outlines = "0"; });
  }

  function facilityMap(el) {
    var d = data(el.dataset.source);
    if (!d || !window.L) return;
    mapLabels = d.labels || {};
    // maxZoom on the map itself: with no tile layer Leaflet has none, and clustering needs one.
    var map = L.map(el, { scrollWheelZoom: false, zoomControl: false, maxZoom: 18 }).setView(d.centre, 7);
    L.control.zoom({ zoomInTitle: text("Zoom in"), zoomOutTitle: text("Zoom out") }).addTo(map);
    map.attributionControl.setPrefix(false);
    // Tiles only when the settings name a server: on an intranet the shipped outlines are the map.
    if (d.tiles) {
      L.tileLayer(d.tiles, { maxZoom: 18, attribution: "© OpenStreetMap contributors" }).addTo(map);
    }
    if (d.outlines) {
      map.attributionControl.addAttribution("geoBoundaries (CC BY 4.0)");
      outlines(map, el, d.outlines, d.facilities.length === 0 && !(d.territories || []).length);
    }
    var group = L.markerClusterGroup ? L.markerClusterGroup({
      showCoverageOnHover: false, maxClusterRadius: 30, spiderfyOnMaxZoom: false,
      disableClusteringAtZoom: 15,  // close enough to tell the facilities apart: each on its own
      iconCreateFunction: function (cluster) {
        var statuses = cluster.getAllChildMarkers().map(function (m) { return m.options.status; });
        var count = document.createElement("span");
        count.textContent = String(cluster.getChildCount());
        var ring = document.createElement("div");
        ring.appendChild(count);
        return L.divIcon({ html: ring, className: "marker-cluster cluster-" + worstOf(statuses).replace("_", "-"),
          iconSize: L.point(36, 36) });
      }
    }) : L.layerGroup();
    var bounds = [];
    d.facilities.forEach(function (f) {
      var marker = L.circleMarker([f.lat, f.lon], { radius: 9, color: "#1b1f24", weight: 1, status: f.status,
        fillColor: STATUS_COLOURS[f.status] || "#5c6470", fillOpacity: 0.9 });
      marker.bindPopup(popup(f));
      var tip = document.createElement("span");
      tip.textContent = f.code;
      marker.bindTooltip(tip);
      group.addLayer(marker);
      bounds.push([f.lat, f.lon]);
    });
    group.addTo(map);
    (d.territories || []).forEach(function (t) { bounds.push(territoryPoint(map, t)); });
    if (bounds.length > 1) map.fitBounds(bounds, { padding: [30, 30], animate: false });
    el.dataset.facilities = String(d.facilities.length);
  }

  // A large plan's facilities arrive counted per territory: one circle each, sized by the count,
  // coloured by the worst status present, with the counts in its popup.
  function territoryPoint(map, t) {
    var worst = worstOf(Object.keys(t.counts));
    var marker = L.circleMarker([t.lat, t.lon], { radius: 8 + Math.min(22, Math.sqrt(t.total)), color: "#1b1f24",
      weight: 1, fillColor: STATUS_COLOURS[worst], fillOpacity: 0.8 }).addTo(map);
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = t.name + " · " + t.total;
    box.appendChild(title);
    Object.keys(t.counts).forEach(function (s) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(text(s) + ": " + t.counts[s]));
    });
    marker.bindPopup(box);
    return [t.lat, t.lon];
  }

  function init(root) {
    root.querySelectorAll("div[data-map=facilities]").forEach(facilityMap);
  }
  init(document);
  document.body.addEventListener("htmx:afterSwap", function (event) { init(event.detail.target); });
})();
