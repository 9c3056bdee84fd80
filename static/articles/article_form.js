// Article edit form, progressive enhancement (the form works without it):
// 1. tells the server every 30 s that this form is open and shows who else
//    has the article open ("wird gerade von X bearbeitet");
// 2. keeps a copy of unsaved input on the server (the user's working copy,
//    every NEWSROOM_AUTOSAVE_SECONDS while the input differs from what was
//    loaded), so a crash, a closed tab or another computer does not lose
//    text; reopening the form offers it back. As a fallback (offline, the
//    server unreachable) a copy is also kept in this browser
//    (localStorage), offered to the same user only: it is stored under the
//    user's id, and admin_session.js removes it on logout and when someone
//    else logs in. Of the two, the newer is offered.
// The admin loads form media in <head>: wait for the form to exist.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var form = document.getElementById("article_form");
  var notices = document.querySelector(".workflow-notices");
  if (!form) return;
  var offer = document.querySelector(".autosave-offer");
  var articleId = offer ? offer.dataset.article : "neu";
  var version = notices ? notices.dataset.version : "0";
  var userMeta = document.querySelector("meta[name=newsroom-user]");
  var user = userMeta ? userMeta.content : "";
  var storageKey = "newsroom:artikel:" + user + ":" + articleId;

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // 1. Presence: only where this user may edit (a read-only form has no
  // data-editing-url; the server would refuse its pings).
  if (notices && notices.dataset.editingUrl) {
    var list = notices.querySelector(".presence");
    var ping = function (closing) {
      var body = new URLSearchParams({ csrfmiddlewaretoken: csrfToken() });
      if (closing) body.append("closing", "1");
      if (closing && navigator.sendBeacon) {
        navigator.sendBeacon(notices.dataset.editingUrl, body);
        return;
      }
      fetch(notices.dataset.editingUrl, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { others: [] }; })
        .then(function (data) {
          list.replaceChildren.apply(list, data.others.map(function (text) {
            var item = document.createElement("li");
            item.textContent = text;
            return item;
          }));
        })
        .catch(function () {});
    };
    setInterval(function () { ping(false); }, 30000);
    window.addEventListener("pagehide", function () { ping(true); });
  }

  // 2. Autosave of unsaved input
  var fields = function () {
    return Array.prototype.filter.call(form.elements, function (element) {
      // Autocomplete selects only hold their current options: restoring
      // into them would silently drop values, so they are left out.
      return element.name && element.name !== "csrfmiddlewaretoken" &&
        element.type !== "hidden" && element.type !== "file" &&
        element.type !== "submit" && element.type !== "button" &&
        !element.classList.contains("admin-autocomplete") &&
        // The publishing panel's reason and time belong to one step only.
        element.name.charAt(0) !== "_" &&
        element.name.indexOf("action") === -1;
    });
  };
  var valuesOf = function () {
    var values = {};
    fields().forEach(function (element) {
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.checked) values[element.name + "=" + element.value] = true;
      } else if (element.multiple) {
        values[element.name] = Array.prototype.map.call(element.selectedOptions, function (o) { return o.value; });
      } else {
        values[element.name] = element.value;
      }
    });
    return values;
  };
  var initial = JSON.stringify(valuesOf());
  var save = function () {
    // Without a known user, a copy could not be kept from the next person.
    if (!user) return;
    var current = JSON.stringify(valuesOf());
    try {
      if (current === initial) {
        localStorage.removeItem(storageKey);
      } else {
        localStorage.setItem(storageKey, JSON.stringify({
          user: user, version: version, savedAt: new Date().toISOString(),
          values: JSON.parse(current)
        }));
      }
    } catch (error) { /* storage full or disabled: nothing to do */ }
  };
  var timer = null;
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 1000);
  });
  // The copy stays until the server has the text: after a successful save
  // the reloaded form equals it and it is dropped below; after a failed save
  // (lost connection, refused) it is still there to offer. (The publishing
  // panel's buttons save the form before their step: nothing to warn of.)

  // The server's working copy.
  var serverUrl = offer ? offer.dataset.serverUrl : "";
  var lastSent = initial;
  var sendToServer = function () {
    var current = JSON.stringify(valuesOf());
    if (!serverUrl || current === lastSent) return;
    var body = new URLSearchParams({ csrfmiddlewaretoken: csrfToken() });
    if (current === initial) {
      body.append("discard", "1");
    } else {
      body.append("values", current);
      body.append("version", version);
    }
    fetch(serverUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        lastSent = current;
        form.dataset.workingCopySaved = data.saved ? data.savedAt : "";
      })
      .catch(function () { form.dataset.workingCopySaved = "failed"; });
  };
  if (serverUrl) {
    var seconds = Number(offer.dataset.seconds) || 30;
    setInterval(sendToServer, seconds * 1000);
  }
  var discardOnServer = function () {
    if (!serverUrl) return;
    var body = new URLSearchParams({ csrfmiddlewaretoken: csrfToken(), discard: "1" });
    fetch(serverUrl, { method: "POST", body: body, credentials: "same-origin" })
      .catch(function () {});
    lastSent = initial;
  };

  var stored = null;
  try { stored = JSON.parse(localStorage.getItem(storageKey) || "null"); } catch (error) {}
  if (stored && (!user || stored.user !== user)) stored = null;
  if (stored && JSON.stringify(stored.values) === initial) {
    try { localStorage.removeItem(storageKey); } catch (error) {}
    stored = null;
  }
  var serverCopy = null;
  var serverScript = document.getElementById("working-copy");
  if (serverScript) {
    try { serverCopy = JSON.parse(serverScript.textContent); } catch (error) {}
  }
  if (serverCopy && JSON.stringify(serverCopy.values) === initial) {
    // Nothing unsaved in it (the form was saved since): drop it quietly.
    discardOnServer();
    serverCopy = null;
  }
  var fromServer = !!serverCopy &&
    (!stored || new Date(serverCopy.savedAt) >= new Date(stored.savedAt));
  var chosen = fromServer ? serverCopy : stored;
  if (chosen && offer) {
    var when = fromServer ? serverCopy.label : new Date(stored.savedAt).toLocaleString("de-DE");
    var older = chosen.version !== version ? " " + offer.dataset.older : "";
    offer.textContent = (fromServer ? offer.dataset.serverFound : offer.dataset.found) +
      " " + when + older + ":";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button";
    restore.textContent = offer.dataset.restore;
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button";
    discard.textContent = offer.dataset.discard;
    offer.append(restore, discard);
    offer.hidden = false;
    restore.addEventListener("click", function () {
      fields().forEach(function (element) {
        if (element.type === "checkbox" || element.type === "radio") {
          element.checked = !!chosen.values[element.name + "=" + element.value];
        } else if (element.multiple) {
          var picked = chosen.values[element.name] || [];
          Array.prototype.forEach.call(element.options, function (o) { o.selected = picked.indexOf(o.value) >= 0; });
        } else if (element.name in chosen.values) {
          element.value = chosen.values[element.name];
          // The body editor (body_editor.js) shows the restored text.
          element.dispatchEvent(new Event("newsroom:restored"));
        }
      });
      offer.hidden = true;
      // The live preview (edit_screen.js) shows the restored input.
      form.dispatchEvent(new Event("newsroom:changed"));
    });
    discard.addEventListener("click", function () {
      try { localStorage.removeItem(storageKey); } catch (error) {}
      discardOnServer();
      offer.hidden = true;
    });
  }
});
