// The review queue by keyboard alone: A accept, C correct (type, Enter saves), U unreadable,
// N next; Escape leaves the correction box. Keys typed into a field are the field's own.
document.addEventListener("keydown", function (event) {
  const typing = event.target.matches("input, select, textarea");
  if (typing) {
    if (event.key === "Escape") { event.target.blur(); }
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) { return; }
  const key = event.key.toLowerCase();
  const act = {
    a: function () { const b = document.getElementById("accept"); if (b && !b.disabled) { b.click(); } },
    c: function () { const i = document.getElementById("value"); if (i) { i.focus(); } },
    u: function () { const b = document.getElementById("unreadable"); if (b) { b.click(); } },
    n: function () { const l = document.getElementById("next"); if (l) { l.click(); } },
  }[key];
  if (act) { event.preventDefault(); act(); }
});
