// Loaded before Bootstrap Italia's bundle. The bundle includes Video.js, which otherwise writes <style>
// elements into every page; the Content-Security-Policy refuses them (and Approdi plays no video).
window.VIDEOJS_NO_DYNAMIC_STYLE = true;

// Behaviour declared in the markup with data- attributes: the Content-Security-Policy refuses inline
// handlers (onclick=…), so one listener per event, on the document, also serves what htmx swaps in.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) field.form.submit();
});

document.addEventListener("click", (event) => {
  const filler = event.target.closest("[data-fill-target]");
  if (filler) {
    const target = document.querySelector(filler.dataset.fillTarget);
    if (target) {
      target.value = filler.dataset.fillValue;
      // What else the facts told (data-fill-gender="woman" fills the form's [name=gender]): nothing to type twice.
      for (const [key, value] of Object.entries(filler.dataset)) {
        if (!value || !key.startsWith("fill") || key === "fillTarget" || key === "fillValue") continue;
        const name = key.slice(4).replace(/^./, (c) => c.toLowerCase());
        const field = target.form && target.form.elements.namedItem(name);
        if (field && "value" in field) field.value = value;
      }
      target.focus();
    }
    return;
  }
  if (event.target.closest("[data-print]")) window.print();
});
