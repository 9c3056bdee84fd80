// Conflict merge on the article form (_live_draft.html). Plain text fields:
// "copy the saved text into my field". The body (rich text): "Übernehmen"
// inserts one block of the saved version into my body where it stands
// between the blocks both versions share, keeping all of my text. Either
// way the result is the editor's own input to change further, so "Meine
// Fassung" is chosen, and the server saves exactly what is posted, checked
// against the version merged with. Without this script the radios still
// choose per field.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var t = window.gettext || function (text) { return text; };

  function chooseMine(name) {
    var mine = document.querySelector(
      'input[type=radio][name="' + name + '"][value="mine"]'
    );
    if (mine) mine.checked = true;
  }

  document.querySelectorAll(".merge-copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var target = document.getElementById(button.dataset.target);
      if (!target) return;
      target.value = button.dataset.text;
      target.dispatchEvent(new Event("input", { bubbles: true }));
      chooseMine(button.dataset.choice);
      target.focus();
    });
  });

  // Taking a photo only the saved version has adds it to "mine".
  document.querySelectorAll('input[name="merge-photos-take"]').forEach(function (box) {
    box.addEventListener("change", function () {
      if (box.checked) chooseMine("merge-photos");
    });
  });

  // What "the same paragraph" means (merging.block_text on the server).
  function textOf(node) {
    return (node.textContent || "").replace(/\s+/g, " ").trim();
  }

  function keyOf(node) {
    return textOf(node) || (node.outerHTML || "");
  }

  function parse(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return Array.prototype.filter.call(template.content.childNodes, function (node) {
      return node.nodeType === 1 || textOf(node);
    });
  }

  // Where block `index` of theirs goes in mine: after the nearest block
  // before it that mine has too, else before the nearest one after it,
  // else at the end.
  function insertionIndex(theirKeys, index, mineKeys) {
    var found;
    for (var before = index - 1; before >= 0; before--) {
      found = mineKeys.lastIndexOf(theirKeys[before]);
      if (found >= 0) return found + 1;
    }
    for (var after = index + 1; after < theirKeys.length; after++) {
      found = mineKeys.indexOf(theirKeys[after]);
      if (found >= 0) return found;
    }
    return mineKeys.length;
  }

  document.querySelectorAll(".merge-blocks").forEach(function (box) {
    var textarea = document.getElementById(box.dataset.target);
    if (!textarea) return;
    var items = Array.prototype.slice.call(box.querySelectorAll(".merge-block"));
    var status = box.querySelector(".merge-status");
    box.querySelector(".merge-blocks-hint").hidden = false;
    items.forEach(function (item, index) {
      var button = item.querySelector(".merge-take");
      if (!button) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var theirKeys = items.map(function (other) {
          return parse(other.dataset.html).map(keyOf).join("\n");
        });
        var mine = parse(textarea.value);
        var at = insertionIndex(theirKeys, index, mine.map(keyOf));
        var html = mine.map(function (node) {
          return node.nodeType === 1 ? node.outerHTML : node.textContent;
        });
        html.splice(at, 0, item.dataset.html);
        textarea.value = html.join("");
        // The body editor (body_editor.js) takes the textarea's new value.
        textarea.dispatchEvent(new Event("newsroom:restored"));
        textarea.dispatchEvent(new Event("input", { bubbles: true }));
        chooseMine(box.dataset.choice);
        item.classList.add("merge-block--taken");
        button.disabled = true;
        button.textContent = t("Übernommen");
        button.setAttribute(
          "aria-label",
          t("Absatz %(number)s übernommen").replace("%(number)s", String(index + 1))
        );
        status.textContent = t("Absatz %(number)s in Ihre Fassung übernommen.")
          .replace("%(number)s", String(index + 1));
      });
    });
  });
});
