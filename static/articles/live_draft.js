// Conflict merge on the article form (_live_draft.html): "copy the saved
// text into my field" for plain text fields. The copied text becomes the
// editor's own input to change further, so "Meine Fassung" is chosen. The
// merge works without this script: the radios choose per field.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll(".merge-copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var target = document.getElementById(button.dataset.target);
      if (!target) return;
      target.value = button.dataset.text;
      target.dispatchEvent(new Event("input", { bubbles: true }));
      var mine = document.querySelector(
        'input[type=radio][name="' + button.dataset.choice + '"][value="mine"]'
      );
      if (mine) mine.checked = true;
      target.focus();
    });
  });
});
