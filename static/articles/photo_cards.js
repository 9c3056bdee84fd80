// The article form's photos as cards (templates/admin/articles/article/
// _photo_cards.html): "Foto hinzufügen" opens the photo chooser and adds a
// card per chosen photo to the inline formset; "Alternativtext und
// Ausschnitt bearbeiten" opens the chooser's edit dialog.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const group of document.querySelectorAll("[data-photo-cards]")) {
    const prefix = group.dataset.prefix;
    const total = group.querySelector(`#id_${prefix}-TOTAL_FORMS`);
    const cards = group.querySelector("[data-photo-cards-list]");
    const template = group.querySelector("[data-photo-card-template]");
    const add = group.querySelector("[data-photo-cards-add]");

    function chosenIds() {
      return new Set(
        [...cards.querySelectorAll('input[name$="-photo"]')].map((input) =>
          Number(input.value),
        ),
      );
    }

    function nextPosition() {
      const positions = [...cards.querySelectorAll('input[name$="-position"]')]
        .map((input) => Number(input.value))
        .filter((value) => !Number.isNaN(value));
      return positions.length ? Math.max(...positions) + 1 : 0;
    }

    function showPhoto(card, photo) {
      const choice = card.querySelector("[data-photo-card-choice]");
      choice.textContent = "";
      choice.append(window.NewsroomPhotoChooser.renderChoice(photo));
      const editButton = card.querySelector("[data-photo-card-edit]");
      editButton.dataset.editUrl = photo.edit_url || "";
      editButton.hidden = !photo.edit_url;
    }

    function addCard(photo) {
      const index = Number(total.value);
      const holder = document.createElement("ol");
      holder.innerHTML = template.innerHTML.replaceAll("__prefix__", String(index));
      const card = holder.firstElementChild;
      card.querySelector('input[name$="-photo"]').value = photo.id;
      card.querySelector('input[name$="-position"]').value = nextPosition();
      showPhoto(card, photo);
      cards.querySelector("[data-photo-cards-empty]")?.remove();
      cards.append(card);
      total.value = String(index + 1);
      return card;
    }

    if (add && template) {
      add.addEventListener("click", async () => {
        const photos = await window.NewsroomPhotoChooser.open({ multiple: true });
        const known = chosenIds();
        let first = null;
        for (const photo of photos) {
          if (!known.has(photo.id)) {
            const card = addCard(photo);
            first = first || card;
            known.add(photo.id);
          }
        }
        if (first) {
          // The live preview (edit_screen.js) shows the new photo cards.
          group.closest("form")?.dispatchEvent(new Event("newsroom:changed"));
          (first.querySelector("[data-photo-card-edit]:not([hidden])") ||
            first.querySelector("textarea")).focus();
        }
      });
    }

    cards.addEventListener("click", async (event) => {
      const button = event.target.closest("[data-photo-card-edit]");
      if (!button || !button.dataset.editUrl) {
        return;
      }
      const photo = await window.NewsroomPhotoChooser.edit(button.dataset.editUrl);
      if (photo) {
        showPhoto(button.closest("[data-photo-card]"), photo);
        button.focus();
      }
    });
  }
});
