/* newstrace maps. Leaflet comes only from datasette-leaflet (an ES module, imported from the URL the page
   passes in data-leaflet); boundaries from the plugin's world.geojson; colours, legend and links from the
   page's own .json (the server decides colours, so the map, the table and the exports agree).
   No tile server unless the plugin config sets tile_url. */
(function () {
  "use strict";
  var NO_DATA = "#eeeeee";
  var QUIET = "mentioned";  // named near an initiative without a role: drawn faintly, never fitted to

  // The [[south, west], [north, east]] box of a geometry's main part: a country of many polygons (islands,
  // an exclave, land across the antimeridian) is fitted by its largest one, so the map is not stretched
  // round the world by a far-away island.
  function mainBounds(geometry) {
    if (!geometry) return null;
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates]
      : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    var best = null, bestArea = -1;
    polygons.forEach(function (polygon) {
      var ring = polygon[0] || [];
      var w = 180, e = -180, s = 90, n = -90;
      ring.forEach(function (pt) { w = Math.min(w, pt[0]); e = Math.max(e, pt[0]); s = Math.min(s, pt[1]); n = Math.max(n, pt[1]); });
      var area = (e - w) * (n - s);
      if (ring.length && area > bestArea) { bestArea = area; best = [[s, w], [n, e]]; }
    });
    return best;
  }

  // The countries the map is about: those with a role (not only "mentioned") when colouring by role, those
  // with articles otherwise; every country shown when none has one.
  function fitCodes(data) {
    var rows = data.rows || [];
    var chosen = rows.filter(function (r) {
      return data.color === "articles" ? r.articles > 0 : r.top_role && r.top_role !== QUIET;
    });
    if (!chosen.length) chosen = rows;
    var codes = {};
    chosen.forEach(function (r) { codes[r.code] = r; });
    return codes;
  }

  function esc(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  }

  function tooltip(name, nameZh, row) {
    var html = "<strong>" + esc(name) + "</strong>";
    if (nameZh) html += " <span lang=\"zh\">" + esc(nameZh) + "</span>";
    if (row) {
      var roles = Object.keys(row.roles || {});
      if (roles.length) {
        html += "<br><span class=\"newstrace-tooltip-roles\">" + roles.map(function (r) {
          return esc(r) + " (" + esc(row.roles[r]) + ")";
        }).join(", ") + "</span>";
      }
      html += "<br>" + esc(row.articles) + (row.articles === 1 ? " article" : " articles");
    }
    return html;
  }

  function legendControl(L, data) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "newstrace-legend");
      var labels = data.labels || {};
      var title = data.color === "articles" ? (labels.articles || "Articles") : (labels.role || "Role");
      var html = "<h4>" + esc(title) + "</h4>";
      (data.legend || []).forEach(function (item) {
        var quiet = item.label === QUIET ? " class=\"newstrace-legend-quiet\"" : "";
        html += "<div" + quiet + "><i style=\"background:" + esc(item.color) + "\"></i>" + esc(item.text || item.label) + "</div>";
      });
      html += "<div><i style=\"background:" + NO_DATA + "\"></i>" + esc(labels.no_data || "no data") + "</div>";
      if (data.color === "articles" && data.scheme) html += "<div class=\"newstrace-legend-source\">" + esc(data.scheme) + "</div>";
      div.innerHTML = html;
      return div;
    };
    return control;
  }

  function go(row) {
    if (row && row.url) window.location.href = row.url;
  }

  async function draw(el) {
    if (!el.dataset.leaflet) {
      el.innerHTML = "<p class=\"newstrace-map-message\">The map needs the datasette-leaflet plugin.</p>";
      return;
    }
    var results = await Promise.all([import(el.dataset.leaflet), getJSON(el.dataset.world), getJSON(el.dataset.data)]);
    var L = results[0], world = results[1], data = results[2];
    var byCode = {};
    (data.rows || []).forEach(function (row) { byCode[row.code] = row; });

    var map = L.map(el, { minZoom: 1, maxZoom: 8, worldCopyJump: false, zoomSnap: 0.25,
                          maxBounds: [[-89, -220], [89, 220]], attributionControl: !!el.dataset.tileUrl });
    map.fitBounds([[-50, -165], [75, 175]]);  // layers need a view before they are added
    var fit = fitCodes(data), box = null;
    function extend(bounds) {
      if (!bounds) return;
      box = box ? [[Math.min(box[0][0], bounds[0][0]), Math.min(box[0][1], bounds[0][1])],
                   [Math.max(box[1][0], bounds[1][0]), Math.max(box[1][1], bounds[1][1])]] : bounds;
    }
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "" }).addTo(map);
    }
    L.geoJSON(world, {
      style: function (feature) {
        var row = byCode[feature.properties.code];
        if (row && row.top_role === QUIET && data.color !== "articles") {
          return { color: "#aaa", weight: 0.4, fillColor: row.color, fillOpacity: 0.7 };
        }
        return { color: "#777", weight: 0.6, fillColor: row ? row.color : NO_DATA, fillOpacity: row ? 0.9 : 0.7 };
      },
      onEachFeature: function (feature, layer) {
        var row = byCode[feature.properties.code];
        layer.bindTooltip(tooltip(row ? row.name : feature.properties.name,
                                  row ? row.name_zh : feature.properties.name_zh, row), { sticky: true });
        if (row && row.url) layer.on("click", function () { go(row); });
        if (fit[feature.properties.code]) extend(mainBounds(feature.geometry));
      }
    }).addTo(map);
    // countries and blocs with no polygon at this scale (small states, the EU) or one too small to see
    // get a marker at their representative point
    (data.rows || []).forEach(function (row) {
      if (!row.marker || row.lat == null || row.lng == null) return;
      var marker = L.circleMarker([row.lat, row.lng], { radius: 6, color: "#333", weight: 1,
                                                         fillColor: row.color, fillOpacity: 0.95 });
      marker.bindTooltip(tooltip(row.name, row.name_zh, row), { sticky: true });
      marker.on("click", function () { go(row); });
      marker.addTo(map);
    });
    (data.rows || []).forEach(function (row) {
      // a country drawn only as a marker (no polygon at this scale) still counts for the view
      if (fit[row.code] && !row.has_boundary && row.lat != null && row.lng != null) {
        extend([[row.lat - 1, row.lng - 1], [row.lat + 1, row.lng + 1]]);
      }
    });
    if (box) {
      map.fitBounds(box, { padding: [16, 16], maxZoom: 5 });
      el.dataset.fitted = Object.keys(fit).sort().join(",");
    }
    legendControl(L, data).addTo(map);
    el.dataset.ready = "1";
  }

  function start() {
    document.querySelectorAll(".newstrace-map[data-world]").forEach(function (el) {
      draw(el).catch(function (err) {
        el.dataset.error = String(err);
        var p = document.createElement("p");
        p.className = "newstrace-map-message";
        p.textContent = "The map could not be drawn: " + err;
        el.appendChild(p);
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
