// The network page: Cytoscape over /api/network. Labels are set as data, never as HTML.
(function () {
  const box = document.getElementById("network");
  if (!box || typeof cytoscape !== "function") return;
  const colours = { person: "#a0563f", organisation: "#6f8a4c", place: "#4f7ea6", periodical: "#8a6fa6", correspondent: "#8c8275", unknown: "#8c8275" };
  fetch(box.dataset.api, { headers: { Accept: "application/json" } })
    .then((r) => r.json())
    .then((net) => {
      const elements = [];
      net.nodes.forEach((n) => elements.push({ data: { id: n.id, label: n.label, kind: n.kind, entity: n.entity_id, focus: n.focus ? 1 : 0 } }));
      net.edges.forEach((e, i) => elements.push({ data: { id: "x" + i, source: e.source, target: e.target, type: e.type, weight: e.weight } }));
      const cy = cytoscape({
        container: box,
        elements: elements,
        style: [
          { selector: "node", style: { label: "data(label)", "font-family": "Georgia, serif", "font-size": 11, color: "#1f1c18", "text-valign": "bottom", "text-margin-y": 3, width: 12, height: 12, "background-color": (n) => colours[n.data("kind")] || "#8c8275", "text-background-color": "#fcfbf7", "text-background-opacity": 0.8, "text-background-padding": 1 } },
          { selector: "node[focus = 1]", style: { width: 20, height: 20, "border-width": 3, "border-color": "#7a2e1f", "font-weight": "bold" } },
          { selector: "edge", style: { width: (e) => Math.min(1 + Math.log2(e.data("weight")), 7), "line-color": "#c9bfae", "curve-style": "bezier", opacity: 0.85 } },
          { selector: 'edge[type = "letter"]', style: { "line-color": "#3f6e93", "target-arrow-color": "#3f6e93", "target-arrow-shape": "triangle", "arrow-scale": 0.9 } },
        ],
        layout: net.focus
          ? { name: "concentric", concentric: (n) => (n.data("focus") ? 2 : 1), levelWidth: () => 1, minNodeSpacing: 60, animate: false, padding: 30 }
          : { name: "cose", animate: false, nodeRepulsion: 12000, idealEdgeLength: 110, randomize: false, fit: true, padding: 24 },
      });
      cy.on("tap", "node", (evt) => {
        const id = evt.target.data("entity");
        if (id) window.location.href = "/entities/" + encodeURIComponent(id);
      });
      box.dataset.ready = String(cy.nodes().length);
    })
    .catch(() => { box.dataset.ready = "error"; });
})();
