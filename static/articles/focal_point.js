// Photo admin: click the preview to set the focal point that teaser crops
// centre on. Progressive enhancement: the two number fields work without it.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const preview = document.querySelector("img.focal-preview");
  const fieldX = document.getElementById("id_focal_x");
  const fieldY = document.getElementById("id_focal_y");
  if (!preview || !fieldX || !fieldY) {
    return;
  }
  const marker = preview.nextElementSibling;

  function showMarker() {
    marker.hidden = false;
    marker.style.left = `${Number(fieldX.value) * preview.clientWidth}px`;
    marker.style.top = `${Number(fieldY.value) * preview.clientHeight}px`;
  }

  preview.addEventListener("click", (event) => {
    const box = preview.getBoundingClientRect();
    const round = (value) => Math.min(1, Math.max(0, value)).toFixed(3);
    fieldX.value = round((event.clientX - box.left) / box.width);
    fieldY.value = round((event.clientY - box.top) / box.height);
    showMarker();
  });
  fieldX.addEventListener("input", showMarker);
  fieldY.addEventListener("input", showMarker);
  if (preview.complete) {
    showMarker();
  } else {
    preview.addEventListener("load", showMarker);
  }
});
