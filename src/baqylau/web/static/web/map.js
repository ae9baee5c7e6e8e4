/* Baqylau's facility map (Leaflet): no inline scripts, data from <script type="application/json"> blocks. */
(function () {
  "use strict";

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function text(key) {
    var labels = data("page-labels") || {};
    return labels[key] || key;
  }
  var STATUS_COLOURS = {
    done: "#1e7b34", on_track: "#0f6f8a", at_risk: "#a35a00", late: "#b3261e", not_started: "#5c6470",
    unknown: "#5c6470"
  };

  function facilityMap(el) {
    var d = data(el.dataset.source);
    if (!d || !window.L) return;
    var map = L.map(el, { scrollWheelZoom: false }).setView(d.centre, 7);
    // Background tiles are the only outside resource; without them the facilities still show.
    L.tileLayer(d.tiles,
      { maxZoom: 18, attribution: "© OpenStreetMap" }).addTo(map);
    var bounds = [];
    d.facilities.forEach(function (f) {
      var marker = L.circleMarker([f.lat, f.lon], { radius: 9, color: "#1b1f24", weight: 1,
        fillColor: STATUS_COLOURS[f.status] || "#5c6470", fillOpacity: 0.9 }).addTo(map);
      var link = document.createElement("a");
      link.href = f.url; link.textContent = f.name + " (" + f.measure + ")";
      var box = document.createElement("div");
      box.appendChild(link);
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(text(f.status)));
      marker.bindPopup(box);
      // A node, never a string: Leaflet would read a string as HTML (escaping must not rest on the CSP).
      var tip = document.createElement("span");
      tip.textContent = f.code;
      marker.bindTooltip(tip);
      bounds.push([f.lat, f.lon]);
    });
    (d.territories || []).forEach(function (t) { bounds.push(territoryPoint(map, t)); });
    if (bounds.length > 1) map.fitBounds(bounds, { padding: [20, 20], animate: false });
    el.dataset.facilities = String(d.facilities.length);
  }

  // A large plan's facilities arrive counted per territory: one circle each, sized by the count,
  // coloured by the worst status present, with the counts in its popup.
  function territoryPoint(map, t) {
    var worst = ["late", "at_risk", "on_track", "not_started", "done", "unknown"].filter(function (s) {
      return t.counts[s];
    })[0] || "unknown";
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
