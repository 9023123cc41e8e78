// Evidence popovers: a click pins one open (hover and keyboard focus work without this script).
document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const ev = target ? target.closest(".ev") : null;
  if (target && target.closest(".evidence a")) return;
  document.querySelectorAll(".ev.open").forEach((el) => { if (el !== ev) el.classList.remove("open"); });
  if (ev) ev.classList.toggle("open");
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") document.querySelectorAll(".ev.open").forEach((el) => el.classList.remove("open"));
});
