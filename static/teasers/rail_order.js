// The fixed places of a rail (teasers/admin.py, RailItemInline).
//
// django-admin-sortable2 lets an editor drag a teaser by its title; this
// script adds "Nach oben" / "Nach unten" buttons for the keyboard, and makes
// both swap which article holds which place instead of numbering the rows
// 1, 2, 3: a pin at place 5 of a mixed rail stays at place 5. The place
// number stays editable (a place of its own, or without a script at all).
// Nothing is saved until the form is.
"use strict";

(function () {
  function setUp(fieldset) {
    const body = fieldset.querySelector("table tbody");
    if (!body) {
      return;
    }
    const rows = () => Array.from(body.querySelectorAll("tr.has_original"));
    const placeInput = (row) => row.querySelector("input._reorder_");
    const title = (row) => {
      const label = row.querySelector("td.original p");
      return label ? label.textContent.trim() : "";
    };
    const status = document.createElement("p");
    status.className = "rail-order-status";
    status.setAttribute("role", "status");
    fieldset.appendChild(status);

    // The places the saved teasers hold, lowest first; moving a teaser
    // hands them out again in the rows' new order.
    let places = [];
    function rememberPlaces() {
      places = rows()
        .map((row) => Number.parseInt(placeInput(row).value, 10))
        .filter((place) => place > 0)
        .sort((a, b) => a - b);
    }
    function handOutPlaces(moved) {
      const ordered = rows();
      if (places.length !== ordered.length) {
        rememberPlaces();
      }
      ordered.forEach((row, index) => {
        placeInput(row).value = String(places[index]);
      });
      if (moved) {
        status.textContent = `„${title(moved)}“ steht jetzt auf Platz ${placeInput(moved).value}.`;
      }
      updateButtons();
    }

    function move(row, step) {
      const ordered = rows();
      const index = ordered.indexOf(row);
      const target = ordered[index + step];
      if (!target) {
        return;
      }
      if (step < 0) {
        body.insertBefore(row, target);
      } else {
        body.insertBefore(row, target.nextSibling);
      }
      handOutPlaces(row);
    }

    function button(row, step, text) {
      const element = document.createElement("button");
      element.type = "button";
      element.className = `button rail-order-move rail-order-${step < 0 ? "up" : "down"}`;
      element.textContent = text;
      element.setAttribute("aria-label", `„${title(row)}“ ${text.toLowerCase()}`);
      element.addEventListener("click", () => {
        move(row, step);
        // Focus stays on the button, now in the row's new place; at the
        // end of the list, on the one that still leads somewhere.
        const other = row.querySelector(step < 0 ? ".rail-order-down" : ".rail-order-up");
        (element.disabled ? other : element).focus();
      });
      return element;
    }

    function updateButtons() {
      const ordered = rows();
      ordered.forEach((row, index) => {
        row.querySelector(".rail-order-up").disabled = index === 0;
        row.querySelector(".rail-order-down").disabled = index === ordered.length - 1;
      });
    }

    rows().forEach((row) => {
      const cell = row.querySelector("td.original");
      const controls = document.createElement("span");
      controls.className = "rail-order-controls";
      controls.append(button(row, -1, "Nach oben"), button(row, 1, "Nach unten"));
      cell.appendChild(controls);
    });
    rememberPlaces();
    updateButtons();

    // After a drag: SortableJS announces its end on the table body before
    // django-admin-sortable2 numbers the rows 1, 2, 3; ours comes after.
    body.addEventListener("end", (event) => {
      window.setTimeout(() => handOutPlaces(event.item), 0);
    });
    // A place typed in is the editor's own choice.
    body.addEventListener("change", (event) => {
      if (event.target.matches("input._reorder_")) {
        rememberPlaces();
      }
    });
  }

  window.addEventListener("load", () => {
    document.querySelectorAll("fieldset.sortable").forEach(setUp);
  });
})();
