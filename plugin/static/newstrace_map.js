/* newstrace maps. Leaflet comes only from datasette-leaflet (an ES module, imported from the URL the page
   passes in data-leaflet); boundaries from the plugin's world.geojson; colours, legend and links from the
   page's own .json (the server decides colours, so the map, the table and the exports agree).
   No tile server unless the plugin config sets tile_url. */
(function () {
  "use strict";
  var NO_DATA = "#eeeeee";

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
      var title = data.color === "articles" ? "Articles" : "Role";
      var html = "<h4>" + esc(title) + "</h4>";
      (data.legend || []).forEach(function (item) {
        html += "<div><i style=\"background:" + esc(item.color) + "\"></i>" + esc(item.label) + "</div>";
      });
      html += "<div><i style=\"background:" + NO_DATA + "\"></i>no data</div>";
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
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "" }).addTo(map);
    }
    L.geoJSON(world, {
      style: function (feature) {
        var row = byCode[feature.properties.code];
        return { color: "#777", weight: 0.6, fillColor: row ? row.color : NO_DATA, fillOpacity: row ? 0.9 : 0.7 };
      },
      onEachFeature: function (feature, layer) {
        var row = byCode[feature.properties.code];
        layer.bindTooltip(tooltip(row ? row.name : feature.properties.name,
                                  row ? row.name_zh : feature.properties.name_zh, row), { sticky: true });
        if (row && row.url) layer.on("click", function () { go(row); });
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
