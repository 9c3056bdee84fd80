// The article edit screen (progressive enhancement; the form works without):
// 1. the live preview: the unsaved form, posted (never saved) to the
//    preview endpoint a moment after the editor stops typing, shown in the
//    panel's frame at the scroll position the editor left it;
// 2. the publishing panel's steps that need input ("Zurückgeben" needs a
//    reason, "Planen" a time) say so before the form is sent (the server
//    checks again and saves nothing without it);
// 3. the fields of tabular inlines (the photos) are named by their column's
//    heading: Django gives them no label, so screen readers (and axe-core)
//    found unnamed inputs.
// The admin loads form media in <head>: wait for the form to exist.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var form = document.getElementById("article_form");
  if (!form) return;

  // 2. Required input of a panel step.
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (!submitter || submitter.name !== "_transition") return;
    var input = form.querySelector("[data-required-for='" + submitter.value + "']");
    if (input && !input.value.trim()) {
      event.preventDefault();
      event.stopImmediatePropagation();
      input.setCustomValidity(input.dataset.missing);
      input.reportValidity();
      input.focus();
    }
  }, true);
  form.querySelectorAll("[data-required-for]").forEach(function (input) {
    input.addEventListener("input", function () { input.setCustomValidity(""); });
  });

  // 3. Names for the inline tables' fields.
  function nameInlineFields(root) {
    root.querySelectorAll(".tabular table").forEach(function (table) {
      table.querySelectorAll("thead th[class*='column-']").forEach(function (th) {
        var column = Array.prototype.find.call(th.classList, function (name) {
          return name.indexOf("column-") === 0;
        });
        var heading = th.firstChild && th.firstChild.textContent
          ? th.firstChild.textContent.trim() : th.textContent.trim();
        var field = "field-" + column.slice("column-".length);
        table.querySelectorAll("td." + field + " input, td." + field + " textarea, td." +
            field + " select").forEach(function (input) {
          if (input.type !== "hidden" && !input.labels.length &&
              !input.hasAttribute("aria-label")) {
            input.setAttribute("aria-label", heading);
          }
        });
      });
    });
  }
  nameInlineFields(document);
  document.addEventListener("formset:added", function () { nameInlineFields(document); });

  // 1. Live preview.
  var panel = document.querySelector(".live-preview");
  var target = document.getElementById("live-preview-form");
  if (!panel || !target) return;
  var frame = panel.querySelector("iframe");
  var state = panel.querySelector(".live-preview__state");
  var token = target.querySelector("input[name=csrfmiddlewaretoken]");
  var timer = null;
  var scrollY = 0;

  function refresh() {
    try { scrollY = frame.contentWindow.scrollY || 0; } catch (error) { scrollY = 0; }
    // The form's values as they would be posted (files left out), copied
    // into the preview form, which posts them into the frame.
    var data = new FormData(form);
    target.replaceChildren(token);
    data.forEach(function (value, name) {
      if (typeof value !== "string" || name === "csrfmiddlewaretoken" ||
          name.charAt(0) === "_") return;
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      target.append(input);
    });
    target.submit();
  }
  frame.addEventListener("load", function () {
    try {
      if (scrollY) frame.contentWindow.scrollTo(0, scrollY);
      state.textContent = "";
      panel.dataset.refreshed = String(Number(panel.dataset.refreshed || 0) + 1);
    } catch (error) { /* not ours (about:blank) */ }
  });
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 800);
  }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  // The body editor and restored copies change fields without an input event.
  form.addEventListener("newsroom:changed", schedule);
  // After the page itself has loaded (its scripts finish their work on
  // "load", which a frame still loading would hold back).
  if (document.readyState === "complete") {
    refresh();
  } else {
    window.addEventListener("load", refresh);
  }
});
