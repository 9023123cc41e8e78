// The map page: Leaflet with no tile layer, over the bundled world-atlas outline.
// Popups are built with DOM text nodes, so a place name is never read as HTML.
(function () {
  const box = document.getElementById("map");
  if (!box || typeof L === "undefined" || typeof topojson === "undefined") return;
  const map = L.map(box, { worldCopyJump: true, minZoom: 1, maxZoom: 9, attributionControl: false }).setView([45, 20], 3);
  const get = (url) => fetch(url, { headers: { Accept: "application/json" } }).then((r) => r.json());

  function popup(p) {
    const div = document.createElement("div");
    const a = document.createElement("a");
    a.href = "/entities/" + encodeURIComponent(p.id);
    a.textContent = p.name;
    div.appendChild(a);
    const s = document.createElement("div");
    s.textContent = p.documents + " documents · " + p.sent + " letters sent · " + p.received + " received";
    div.appendChild(s);
    return div;
  }

  function arc(from, to) {
    // a gentle curve from the place of sending to the place of receipt
    const a = L.latLng(from.lat, from.lon), b = L.latLng(to.lat, to.lon);
    const mid = [(a.lat + b.lat) / 2 + (b.lng - a.lng) * 0.15, (a.lng + b.lng) / 2 - (b.lat - a.lat) * 0.15];
    const pts = [];
    for (let t = 0; t <= 1.0001; t += 0.05) {
      pts.push([(1 - t) * (1 - t) * a.lat + 2 * (1 - t) * t * mid[0] + t * t * b.lat, (1 - t) * (1 - t) * a.lng + 2 * (1 - t) * t * mid[1] + t * t * b.lng]);
    }
    return pts;
  }

  Promise.all([get(box.dataset.world), get(box.dataset.api)])
    .then(([world, data]) => {
      L.geoJSON(topojson.feature(world, world.objects.countries), {
        style: { color: "#b9ad99", weight: 0.6, fillColor: "#f3eee3", fillOpacity: 1 },
        interactive: false,
      }).addTo(map);
      const bounds = [];
      data.arcs.forEach((a) => {
        const line = L.polyline(arc(a.from, a.to), { color: "#3f6e93", weight: Math.min(1.5 + Math.log2(a.letters), 6), opacity: 0.75, className: "arc" }).addTo(map);
        line.bindTooltip(a.from.name + " → " + a.to.name + ": " + a.letters + (a.letters === 1 ? " letter" : " letters"));
        L.circleMarker([a.to.lat, a.to.lon], { radius: 2.5, color: "#3f6e93", fillOpacity: 1, className: "arc-end" }).addTo(map);
      });
      data.places.forEach((p) => {
        const size = 4 + Math.min(10, Math.sqrt(p.documents + p.sent + p.received) * 1.6);
        const m = L.circleMarker([p.lat, p.lon], {
          radius: size, weight: p.focus ? 2.5 : 1, color: p.focus ? "#7a2e1f" : "#6a4f3a",
          fillColor: p.focus ? "#c2573a" : "#a88b6c", fillOpacity: 0.8, className: p.focus ? "place focus" : "place",
        }).addTo(map);
        m.bindPopup(popup(p));
        m.bindTooltip(document.createTextNode(p.name).textContent, { direction: "top" });
        if (!data.focus || p.focus) bounds.push([p.lat, p.lon]);
      });
      if (bounds.length) map.fitBounds(bounds, { padding: [40, 40], maxZoom: 6 });
      box.dataset.ready = String(data.places.length);
    })
    .catch(() => { box.dataset.ready = "error"; });
})();
