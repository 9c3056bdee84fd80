// Galleries (Bildergalerie) picture by picture: progressive enhancement of
// the plain list of credited figures that templates/articles/_gallery.html
// renders (without JavaScript readers get that list). Buttons for the
// previous and next picture, the arrow keys while the gallery has the
// focus, a swipe on touch screens; "Bild 2 von 12" is announced politely.
(function () {
  "use strict";
  var t = window.gettext || function (text) { return text; };

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function button(className, label, symbol) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "gallery__button " + className;
    element.setAttribute("aria-label", label);
    element.title = label;
    element.textContent = symbol;
    return element;
  }

  function enhance(gallery) {
    var items = Array.prototype.slice.call(gallery.querySelectorAll(".gallery__item"));
    if (items.length < 2) return;
    var current = 0;
    var controls = document.createElement("div");
    controls.className = "gallery__controls";
    var previous = button("gallery__previous", t("Vorheriges Bild"), "‹");
    var next = button("gallery__next", t("Nächstes Bild"), "›");
    var count = document.createElement("p");
    count.className = "gallery__count";
    count.setAttribute("aria-live", "polite");
    controls.append(previous, count, next);
    gallery.querySelector(".gallery__list").insertAdjacentElement("beforebegin", controls);
    gallery.classList.add("gallery--slides");

    function show(index) {
      current = (index + items.length) % items.length;
      items.forEach(function (item, position) { item.hidden = position !== current; });
      count.textContent = format(t("Bild %(number)s von %(total)s"),
        { number: current + 1, total: items.length });
      // The next picture loads now, not when it is shown.
      var upcoming = items[(current + 1) % items.length].querySelector("img");
      if (upcoming) upcoming.loading = "eager";
    }

    previous.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    gallery.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
      if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
    });
    var start = null;
    var list = gallery.querySelector(".gallery__list");
    list.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "touch") start = { x: event.clientX, y: event.clientY };
    });
    list.addEventListener("pointerup", function (event) {
      if (!start) return;
      var dx = event.clientX - start.x;
      var dy = event.clientY - start.y;
      start = null;
      // Sideways, and far enough not to be a tap or a scroll.
      if (Math.abs(dx) > 40 && Math.abs(dx) > Math.abs(dy)) show(current + (dx < 0 ? 1 : -1));
    });
    list.addEventListener("pointercancel", function () { start = null; });
    show(0);
  }

  document.querySelectorAll("[data-gallery]").forEach(enhance);
})();
