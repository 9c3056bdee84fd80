// The photo chooser (issue #17): a modal <dialog> to search, filter, page
// and upload photos, and a second one to change a photo's alt text, caption
// and focal point. The article form's photo cards (photo_cards.js) and the
// body editor use it through one API:
//
//   NewsroomPhotoChooser.open({multiple}) -> Promise<[{id, thumbnail_url,
//     credit, caption, alt_text, restrictions, ...}]>   ([] when cancelled)
//   NewsroomPhotoChooser.edit(id) -> Promise<photo | null>
//   NewsroomPhotoChooser.renderChoice(photo) -> element (thumbnail, credit…)
//
// The dialogs' content is rendered by the server (admin views in
// articles/admin/photo_chooser.py); this script fetches it and wires it up.
"use strict";

(() => {
  const DEFAULT_URL = "/admin/articles/photo/auswahl/";
  const FOCUSABLE =
    'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';

  function chooserUrl() {
    const holder = document.querySelector("[data-chooser-url]");
    return holder ? holder.dataset.chooserUrl : DEFAULT_URL;
  }

  function makeDialog(labelledBy) {
    const dialog = document.createElement("dialog");
    dialog.className = "photo-chooser";
    dialog.setAttribute("aria-labelledby", labelledBy);
    dialog.setAttribute("aria-modal", "true");
    document.body.append(dialog);
    // showModal() makes the page behind inert; Tab and Shift+Tab also wrap
    // inside the dialog instead of leaving for the browser's toolbar.
    dialog.addEventListener("keydown", (event) => {
      if (event.key !== "Tab") {
        return;
      }
      const focusable = [...dialog.querySelectorAll(FOCUSABLE)].filter(
        (element) => !element.disabled && element.getClientRects().length > 0,
      );
      if (focusable.length === 0) {
        return;
      }
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    });
    return dialog;
  }

  // One dialog's life: settle once, put focus back where it was.
  function lifecycle(dialog, resolve, cancelled) {
    const opener = document.activeElement;
    let settled = false;
    function finish(result) {
      if (settled) {
        return;
      }
      settled = true;
      if (dialog.open) {
        dialog.close();
      }
      dialog.remove();
      if (opener && opener.isConnected) {
        opener.focus();
      }
      resolve(result);
    }
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      finish(cancelled);
    });
    dialog.addEventListener("close", () => finish(cancelled));
    dialog.addEventListener("click", (event) => {
      if (event.target.closest("[data-chooser-close]")) {
        finish(cancelled);
      }
    });
    return finish;
  }

  async function fetchText(url) {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) {
      throw new Error(`${response.status}`);
    }
    return response.text();
  }

  function failed(dialog, finish, cancelled) {
    dialog.textContent = "";
    const message = document.createElement("p");
    message.setAttribute("role", "alert");
    message.textContent =
      "Die Fotoauswahl konnte nicht geladen werden. Bitte später erneut versuchen.";
    const close = document.createElement("button");
    close.type = "button";
    close.className = "button";
    close.textContent = "Schließen";
    close.addEventListener("click", () => finish(cancelled));
    dialog.append(message, close);
    if (!dialog.open) {
      dialog.showModal();
    }
    close.focus();
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function list(className, label, items) {
    const node = element("ul", className);
    node.setAttribute("aria-label", label);
    for (const item of items) {
      node.append(element("li", "", item));
    }
    return node;
  }

  // The same parts as templates/admin/articles/photo/_choice_card.html.
  function renderChoice(photo) {
    const fragment = document.createDocumentFragment();
    const image = element("img", "photo-choice__thumb");
    image.src = photo.thumbnail_url;
    image.alt = photo.alt_text || "";
    image.width = 160;
    image.height = 120;
    const text = element("div", "photo-choice__text");
    text.append(
      element("p", "photo-choice__label", photo.label || `Foto ${photo.id}`),
      element(
        "p",
        "photo-choice__credit",
        photo.credit ? `Foto: ${photo.credit}` : "",
      ),
    );
    if (photo.licence_expires_at) {
      text.append(
        element(
          "p",
          "photo-choice__licence",
          `Lizenz bis ${photo.licence_expires_at}`,
        ),
      );
    }
    const notes = photo.restriction_notes || [];
    if (notes.length) {
      text.append(
        list("photo-choice__restrictions", "Einschränkungen der Agentur", notes),
      );
    }
    if ((photo.problems || []).length) {
      text.append(
        list(
          "photo-choice__problems",
          "Vor der Veröffentlichung zu klären",
          photo.problems,
        ),
      );
    }
    fragment.append(image, text);
    return fragment;
  }

  function wireTabs(dialog) {
    const tabs = [...dialog.querySelectorAll('[role="tab"]')];
    function select(tab) {
      for (const other of tabs) {
        const selected = other === tab;
        other.setAttribute("aria-selected", String(selected));
        other.tabIndex = selected ? 0 : -1;
        dialog.querySelector(`#${other.getAttribute("aria-controls")}`).hidden =
          !selected;
      }
      tab.focus();
    }
    tabs.forEach((tab, index) => {
      tab.addEventListener("click", () => select(tab));
      tab.addEventListener("keydown", (event) => {
        const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
        if (step) {
          event.preventDefault();
          select(tabs[(index + step + tabs.length) % tabs.length]);
        }
      });
    });
  }

  function open({ multiple = false } = {}) {
    return new Promise((resolve) => {
      const dialog = makeDialog("photo-chooser-title");
      const finish = lifecycle(dialog, resolve, []);
      const chosen = new Map();
      const earlierKeys = [];
      let query = new URLSearchParams();
      let currentKey = "";

      function markChosen() {
        for (const button of dialog.querySelectorAll(".photo-choice__pick")) {
          const photo = JSON.parse(button.dataset.photo);
          button.setAttribute("aria-pressed", String(chosen.has(photo.id)));
        }
        const done = dialog.querySelector("[data-chooser-done]");
        if (done) {
          done.textContent = `Ausgewählte übernehmen (${chosen.size})`;
        }
      }

      async function loadResults(key, focusFirst) {
        const params = new URLSearchParams(query);
        params.set("teil", "ergebnisse");
        if (key) {
          params.set("nach", key);
        }
        const box = dialog.querySelector("[data-chooser-results]");
        box.setAttribute("aria-busy", "true");
        try {
          box.innerHTML = await fetchText(`${chooserUrl()}?${params}`);
        } catch {
          box.textContent = "Die Suche ist fehlgeschlagen. Bitte erneut versuchen.";
        }
        box.removeAttribute("aria-busy");
        currentKey = key;
        dialog.querySelector("[data-chooser-newer]").hidden =
          earlierKeys.length === 0 && !currentKey;
        markChosen();
        if (focusFirst) {
          (box.querySelector(".photo-choice__pick") || box).focus();
        }
      }

      function wire() {
        wireTabs(dialog);
        const search = dialog.querySelector("[data-chooser-search]");
        search.addEventListener("submit", (event) => {
          event.preventDefault();
          query = new URLSearchParams(new FormData(search));
          earlierKeys.length = 0;
          loadResults("", false);
        });
        for (const field of search.querySelectorAll("select, input[type=checkbox], input[type=date]")) {
          field.addEventListener("change", () => search.requestSubmit());
        }
        const box = dialog.querySelector("[data-chooser-results]");
        box.tabIndex = -1;
        box.addEventListener("click", (event) => {
          const pick = event.target.closest(".photo-choice__pick");
          if (pick) {
            const photo = JSON.parse(pick.dataset.photo);
            if (!multiple) {
              finish([photo]);
              return;
            }
            if (chosen.has(photo.id)) {
              chosen.delete(photo.id);
            } else {
              chosen.set(photo.id, photo);
            }
            markChosen();
            return;
          }
          if (event.target.closest("[data-chooser-older]")) {
            const next = box.querySelector("[data-next]").dataset.next;
            earlierKeys.push(currentKey);
            loadResults(next, true);
          } else if (event.target.closest("[data-chooser-newer]")) {
            loadResults(earlierKeys.pop() || "", true);
          }
        });
        const foot = dialog.querySelector("[data-chooser-multiple]");
        foot.hidden = !multiple;
        foot
          .querySelector("[data-chooser-done]")
          .addEventListener("click", () => finish([...chosen.values()]));
        const upload = dialog.querySelector("[data-chooser-upload]");
        if (upload) {
          wireUpload(upload);
        }
        markChosen();
      }

      function wireUpload(form) {
        const result = dialog.querySelector("[data-chooser-upload-result]");
        form.addEventListener("submit", async (event) => {
          event.preventDefault();
          result.textContent = "Wird hochgeladen …";
          let response;
          let data;
          try {
            response = await fetch(form.action, {
              method: "POST",
              body: new FormData(form),
              credentials: "same-origin",
            });
            data = await response.json();
          } catch {
            result.textContent = "Das Hochladen ist fehlgeschlagen.";
            return;
          }
          result.textContent = "";
          if (response.status === 201) {
            chosen.set(data.photo.id, data.photo);
            finish(multiple ? [...chosen.values()] : [data.photo]);
            return;
          }
          if (data.message) {
            result.append(element("p", "errornote", data.message));
          }
          if (data.duplicate) {
            const card = element("div", "photo-choice");
            card.append(renderChoice(data.duplicate));
            const use = element("button", "button default", "Vorhandenes Foto verwenden");
            use.type = "button";
            use.addEventListener("click", () => {
              chosen.set(data.duplicate.id, data.duplicate);
              finish(multiple ? [...chosen.values()] : [data.duplicate]);
            });
            result.append(card, use);
            use.focus();
          }
          for (const [field, errors] of Object.entries(data.errors || {})) {
            for (const error of errors) {
              const label = form.querySelector(`label[for="photo-chooser-${field}"]`);
              const prefix = label ? `${label.textContent.trim()}: ` : "";
              result.append(element("p", "errornote", prefix + error.message));
            }
          }
        });
      }

      fetchText(chooserUrl())
        .then((html) => {
          dialog.innerHTML = html;
          wire();
          dialog.showModal();
          dialog.querySelector("#photo-chooser-q").focus();
        })
        .catch(() => failed(dialog, finish, []));
    });
  }

  function wireFocalPoint(dialog) {
    const image = dialog.querySelector("[data-focal-image]");
    const fieldX = dialog.querySelector("#photo-edit-focal_x");
    const fieldY = dialog.querySelector("#photo-edit-focal_y");
    if (!image || !fieldX || !fieldY) {
      return;
    }
    const marker = image.nextElementSibling;
    function show() {
      marker.hidden = false;
      marker.style.left = `${Number(fieldX.value) * image.clientWidth}px`;
      marker.style.top = `${Number(fieldY.value) * image.clientHeight}px`;
    }
    if (!fieldX.disabled) {
      image.addEventListener("click", (event) => {
        const box = image.getBoundingClientRect();
        const round = (value) => Math.min(1, Math.max(0, value)).toFixed(3);
        fieldX.value = round((event.clientX - box.left) / box.width);
        fieldY.value = round((event.clientY - box.top) / box.height);
        show();
      });
    }
    fieldX.addEventListener("input", show);
    fieldY.addEventListener("input", show);
    if (image.complete) {
      show();
    } else {
      image.addEventListener("load", show);
    }
  }

  function edit(photoOrUrl) {
    const url =
      typeof photoOrUrl === "string"
        ? photoOrUrl
        : `${chooserUrl()}${Number(photoOrUrl)}/bearbeiten/`;
    return new Promise((resolve) => {
      const dialog = makeDialog("photo-edit-title");
      const finish = lifecycle(dialog, resolve, null);

      function show(html) {
        dialog.innerHTML = html;
        wireFocalPoint(dialog);
        const form = dialog.querySelector("[data-photo-edit]");
        form.addEventListener("submit", async (event) => {
          event.preventDefault();
          let response;
          try {
            response = await fetch(form.action, {
              method: "POST",
              body: new FormData(form),
              credentials: "same-origin",
            });
          } catch {
            failed(dialog, finish, null);
            return;
          }
          if (response.ok) {
            finish((await response.json()).photo);
          } else if (response.status === 400) {
            show(await response.text());
            (dialog.querySelector(".errors input, .errors textarea, .errornote") || dialog).focus();
          } else {
            failed(dialog, finish, null);
          }
        });
      }

      fetchText(url)
        .then((html) => {
          show(html);
          dialog.showModal();
          dialog.querySelector("#photo-edit-alt_text").focus();
        })
        .catch(() => failed(dialog, finish, null));
    });
  }

  window.NewsroomPhotoChooser = { open, edit, renderChoice };
})();
