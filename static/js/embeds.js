// Two-click embeds (articles/public/body_blocks.py writes the placeholder):
// nothing is requested from a provider until the reader asks for it. This
// script adds to each placeholder a button that loads the provider's frame
// and a choice "für diesen Anbieter immer laden", kept in this browser's
// localStorage only (never sent to the server). Without JavaScript the
// placeholder stays a link to the content. The frame hosts the page's CSP
// allows are exactly the providers' (settings.EMBED_FRAME_HOSTS).
(function () {
  "use strict";
  var KEY = "newsroom:embeds:immer";

  function always() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(stored) ? stored : [];
    } catch (error) {
      return []; // storage off or unreadable: ask every time
    }
  }

  function setAlways(provider, on) {
    var providers = always().filter(function (p) { return p !== provider; });
    if (on) providers.push(provider);
    try {
      window.localStorage.setItem(KEY, JSON.stringify(providers));
    } catch (error) {
      // Private windows may refuse storage; the choice then lasts this page.
    }
  }

  function load(figure) {
    if (figure.querySelector("iframe")) return;
    var name = figure.dataset.embedName;
    var frame = document.createElement("iframe");
    frame.src = figure.dataset.embedFrame;
    frame.title = "Eingebetteter Inhalt von " + name;
    frame.className = "embed__frame";
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    frame.allow = "encrypted-media; picture-in-picture; fullscreen";
    frame.allowFullscreen = true;
    var consent = figure.querySelector(".embed__consent");
    figure.insertBefore(frame, consent);
    consent.hidden = true;
    figure.classList.add("embed--loaded");
    if (always().indexOf(figure.dataset.embedProvider) !== -1) offerStop(figure);
  }

  // Once loaded automatically, the reader can take the choice back.
  function offerStop(figure) {
    var provider = figure.dataset.embedProvider;
    var stop = document.createElement("button");
    stop.type = "button";
    stop.className = "embed__stop";
    stop.textContent = figure.dataset.embedName + " nicht mehr automatisch laden";
    stop.addEventListener("click", function () {
      setAlways(provider, false);
      stop.remove();
    });
    figure.appendChild(stop);
  }

  function prepare(figure, number) {
    var consent = figure.querySelector(".embed__consent");
    var name = figure.dataset.embedName;
    var controls = document.createElement("p");
    controls.className = "embed__controls";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "embed__load";
    button.textContent = "Inhalt von " + name + " laden";
    var id = "embed-immer-" + number;
    var box = document.createElement("input");
    box.type = "checkbox";
    box.id = id;
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "Für diesen Anbieter (" + name + ") immer laden";
    button.addEventListener("click", function () {
      if (box.checked) {
        setAlways(figure.dataset.embedProvider, true);
        // Every other placeholder of this provider on the page, too.
        document.querySelectorAll(
          "figure.embed[data-embed-provider='" + figure.dataset.embedProvider + "']"
        ).forEach(load);
      }
      load(figure);
      var frame = figure.querySelector("iframe");
      if (frame) frame.focus();
    });
    var choice = document.createElement("span");
    choice.className = "embed__always";
    choice.append(box, label);
    controls.append(button, choice);
    consent.appendChild(controls);
  }

  function start() {
    var chosen = always();
    document.querySelectorAll("figure.embed[data-embed-frame]").forEach(
      function (figure, number) {
        prepare(figure, number);
        if (chosen.indexOf(figure.dataset.embedProvider) !== -1) load(figure);
      }
    );
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
