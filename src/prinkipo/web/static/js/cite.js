// The document page's citation box: fill in the Chicago note (rendered on the server with the
// real CSL style) once the page has shown. Text only: the note is set with textContent.
(function () {
  const box = document.querySelector("[data-cite-api]");
  if (!box) return;
  fetch(box.dataset.citeApi, { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
    .then((c) => {
      const links = box.innerHTML === "" ? null : box.cloneNode(true);
      box.textContent = c.citation.text;
      if (links) {
        const more = document.createElement("span");
        more.className = "muted small";
        more.append(document.createElement("br"), "Also: ");
        links.querySelectorAll("a").forEach((a, i) => { if (i) more.append(" · "); more.append(a); });
        box.append(more);
      }
      box.dataset.ready = "1";
    })
    .catch(() => { box.dataset.ready = "error"; });
})();
