// Article edit form, progressive enhancement (the form works without it):
// 1. the body editor's toolbar (django-prose-editor, labelled in English by
//    the package) gets German names for its buttons, a toolbar role and a
//    name, and the writing area a name for screen readers;
// 2. headline, kicker, teaser (and the SEO and social fields) show how many
//    characters they have against the length editors aim for
//    (data-guide-chars, set by the form): guidance, not a limit;
// 3. the admin's autocomplete fields get their labels (below);
// 4. the editor's dialogs hand focus and selection back at once;
// 5. a key or toolbar button right after a click acts where the click put
//    the caret.
(function () {
  "use strict";
  var t = window.gettext || function (text) { return text; };
  // The package's button labels (aria-label) and their German names.
  var LABELS = {
    "paragraph": t("Absatz"),
    "heading 2": t("Zwischenüberschrift"),
    "heading 3": t("Unterüberschrift"),
    "bold": t("Fett"),
    "italic": t("Kursiv"),
    "unordered list": t("Aufzählung"),
    "ordered list": t("Nummerierte Liste"),
    "blockquote": t("Zitat"),
    "insert link": t("Link einfügen"),
    "remove link": t("Link entfernen"),
    "Insert table": t("Tabelle einfügen"),
    "Add column": t("Spalte einfügen"),
    "Delete column": t("Spalte löschen"),
    "Add row": t("Zeile einfügen"),
    "Delete row": t("Zeile löschen"),
    "Merge cells": t("Zellen verbinden"),
    "Split cell": t("Zelle teilen"),
    "Toggle header cell": t("Kopfzelle an/aus"),
    "Delete table": t("Tabelle löschen"),
    "undo": t("Rückgängig"),
    "redo": t("Wiederholen")
  };

  function germanToolbar(container) {
    var menubar = container.querySelector(".prose-menubar");
    if (menubar) {
      menubar.setAttribute("role", "toolbar");
      menubar.setAttribute("aria-label", t("Textformatierung"));
      menubar.querySelectorAll("button[aria-label]").forEach(function (button) {
        var german = LABELS[button.getAttribute("aria-label")];
        if (german) {
          button.setAttribute("aria-label", german);
          button.title = german;
        }
      });
    }
  }

  function nameWritingArea(area, textarea) {
    var label = document.querySelector("label[for='" + textarea.id + "']");
    if (!label) return;
    if (!label.id) label.id = textarea.id + "_label";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    area.setAttribute("aria-labelledby", label.id);
  }

  // 4. The editor's dialogs (link, photo, gallery, embed) hand focus and
  // selection back to the writing area at once when they close. Left to
  // the package, the hand-back comes late: Tiptap's focus command waits
  // for the next animation frame when the editor is not focused, and
  // ProseMirror, when the focus comes back, puts its selection into the
  // page 20 ms later if the page's differs. A click made in between
  // (before the editor has read it) was undone by that late step, and
  // keys typed before the frame went nowhere.
  function handDialogsBack(editor) {
    var view = editor.view;
    var container = view.dom.parentElement;
    var inDialog = false;
    function modalOpen() {
      try {
        return !!document.querySelector("dialog:modal");
      } catch (error) {
        return !!document.querySelector("dialog[open]");
      }
    }
    // Focus went from the editor into a dialog.
    view.dom.addEventListener("focusout", function (event) {
      var to = event.relatedTarget;
      if (to && to.closest && to.closest("dialog")) inDialog = true;
    });
    // The focus comes back from a dialog (close() gives it back itself).
    // Before ProseMirror's own focus handler (this listens in the capture
    // phase): the editor counts as focused already, so ProseMirror sets no
    // late selection, and the selection goes into the page now
    // (EditorView.focus is synchronous). "ProseMirror-focused" is the
    // class ProseMirror's handler would set.
    container.addEventListener("focus", function (event) {
      if (event.target !== view.dom || !inDialog || editor.isDestroyed) return;
      inDialog = false;
      view.dom.classList.add("ProseMirror-focused");
      view.focused = true;
      view.focus();
    }, true);
    // The package's dialogs are removed without close() when confirmed:
    // the focus falls to the page. This observer runs before the code
    // that applies the dialog's result (both are microtasks, the
    // removal's first), so that code finds the editor focused and waits
    // for no frame.
    new MutationObserver(function (records) {
      if (!inDialog || view.hasFocus() || modalOpen()) return;
      var removed = records.some(function (record) {
        return Array.prototype.some.call(record.removedNodes, function (node) {
          return node.nodeType === 1 && (node.matches("dialog") || !!node.querySelector("dialog"));
        });
      });
      if (removed) view.focus();
    }).observe(container, { childList: true });
  }

  // 5. A key pressed, or a toolbar button clicked, right after a click or
  // a selection with the mouse acts where the mouse put the caret. The
  // browser reports a new selection a task later ("selectionchange"); on
  // a busy machine that can come after the next key or button, which
  // ProseMirror then applied to the old selection (Enter split the
  // paragraph the caret had been in before; a button put the old
  // selection back). Before ProseMirror or the toolbar handle either
  // (these listen in the capture phase), the editor reads the page's
  // selection now, as the late event would have it do.
  function readSelectionFirst(editor) {
    var view = editor.view;
    var container = view.dom.parentElement;
    function read() {
      if (!editor.isDestroyed && view.domObserver && view.hasFocus()) view.domObserver.flush();
    }
    container.addEventListener("keydown", function (event) {
      if (event.target === view.dom && !event.isComposing && event.keyCode !== 229) read();
    }, true);
    container.addEventListener("mousedown", function (event) {
      if (!view.dom.contains(event.target)) read();
    }, true);
  }

  document.addEventListener("prose-editor:ready", function (event) {
    var textarea = event.detail.textarea;
    handDialogsBack(event.detail.editor);
    readSelectionFirst(event.detail.editor);
    // The autosave's copy (article_form.js) is restored into the textarea.
    textarea.addEventListener("newsroom:restored", function () {
      event.detail.editor.commands.setContent(textarea.value);
    });
    // The writing area is named at once: the toolbar comes a moment
    // later, and a screen reader (or axe) may ask for the name before.
    nameWritingArea(event.detail.editor.view.dom, textarea);
    var container = textarea.closest(".prose-editor") || textarea.parentNode;
    if (container.querySelector(".prose-menubar")) {
      germanToolbar(container);
      return;
    }
    // The toolbar is added a moment after the editor reports ready.
    var observer = new MutationObserver(function () {
      if (!container.querySelector(".prose-menubar")) return;
      observer.disconnect();
      germanToolbar(container);
    });
    observer.observe(container, { childList: true, subtree: true });
  });

  function counter(input) {
    var guide = parseInt(input.dataset.guideChars, 10);
    var output = document.createElement("span");
    output.className = "char-counter";
    output.id = input.id + "_counter";
    input.insertAdjacentElement("afterend", output);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + output.id);
    function update() {
      var length = input.value.length;
      var over = length - guide;
      output.textContent = over > 0
        ? interpolate(t("%(length)s / %(guide)s Zeichen – %(over)s mehr als empfohlen"),
            { length: length, guide: guide, over: over }, true)
        : interpolate(t("%(length)s / %(guide)s Zeichen"), { length: length, guide: guide }, true);
      output.classList.toggle("char-counter--over", over > 0);
    }
    input.addEventListener("input", update);
    update();
  }

  function interpolate(text, values) {
    if (window.interpolate) return window.interpolate(text, values, true);
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-guide-chars]").forEach(counter);
  });

  // 3. The admin's autocomplete fields (Select2) name neither their
  // combobox before a choice nor their search field: screen readers (and
  // axe-core) find unnamed inputs. Each gets its field's label. Select2
  // starts on jQuery's ready, before "load".
  function nameAutocompletes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = document.querySelector("label[for='" + select.id + "']");
      var container = select.nextElementSibling;
      if (!label || !container || !container.classList.contains("select2")) return;
      if (!label.id) label.id = select.id + "_label";
      container.querySelectorAll(
        ".select2-selection--single, .select2-selection__rendered, .select2-search__field"
      ).forEach(function (element) {
        var own = element.id && element.classList.contains("select2-selection__rendered");
        element.setAttribute("aria-labelledby", label.id + (own ? " " + element.id : ""));
      });
    });
  }
  // Again shortly after: on a busy page Select2 may start (or render a
  // field anew) after "load", which would drop the names.
  window.addEventListener("load", function () {
    [0, 250, 1000, 2500].forEach(function (delay) {
      setTimeout(function () { nameAutocompletes(document); }, delay);
    });
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select.admin-autocomplete")) {
      setTimeout(function () { nameAutocompletes(document); }, 0);
    }
  });
  document.addEventListener("formset:added", function (event) {
    nameAutocompletes(event.target);
  });
})();
