// A live ticker's page, progressive enhancement (without it, a reload
// shows new entries and "Ältere Einträge" is a link to the next page):
// 1. every few seconds (data-interval) it asks the ticker's endpoint what
//    changed since the change the page was built at (?seit=), and inserts
//    new entries on top, replaces corrected ones and removes deleted ones;
//    the summary of key events and the pinned entries are replaced whole;
// 2. "Ältere Einträge" loads the next page into this one (?vor=);
// 3. the page's JSON-LD (LiveBlogPosting) keeps listing the entries the
//    page shows: the endpoint sends each entry's liveBlogUpdate and the
//    posting's new dates, built by the server; this only merges them.
// The endpoint answers with an ETag; the browser revalidates with
// If-None-Match and gets 304 while nothing changed.
(function () {
  "use strict";
  var ticker = document.querySelector("[data-live-ticker]");
  if (!ticker || !window.fetch || !("content" in document.createElement("template"))) {
    return;
  }
  var url = ticker.getAttribute("data-updates-url");
  var since = ticker.getAttribute("data-since") || "0";
  var newest = parseInt(ticker.getAttribute("data-newest") || "0", 10);
  var seconds = parseInt(ticker.getAttribute("data-interval") || "15", 10);
  var interval = Math.max(1, seconds) * 1000;
  var list = ticker.querySelector("[data-entries]");
  var status = ticker.querySelector("[data-status]");
  var pinned = ticker.querySelector("[data-pinned]");
  var summary = ticker.querySelector("[data-summary]");
  var stopped = false;
  var jsonLd = postingScript();

  function postingScript() {
    var scripts = document.querySelectorAll('script[type="application/ld+json"]');
    for (var i = 0; i < scripts.length; i += 1) {
      try {
        if (JSON.parse(scripts[i].textContent)["@type"] === "LiveBlogPosting") {
          return scripts[i];
        }
      } catch (error) {
        // Not ours to read.
      }
    }
    return null;
  }

  // edit(posting) changes the parsed LiveBlogPosting; it is written back
  // escaped as the server escapes it, so no text can end the element.
  function editJsonLd(edit) {
    if (!jsonLd) return;
    var posting = JSON.parse(jsonLd.textContent);
    edit(posting);
    jsonLd.textContent = JSON.stringify(posting)
      .replace(/</g, "\\u003C")
      .replace(/>/g, "\\u003E")
      .replace(/&/g, "\\u0026");
  }

  function indexOfUpdate(updates, id) {
    for (var i = 0; i < updates.length; i += 1) {
      if (updates[i]["@id"] === id) return i;
    }
    return -1;
  }

  function nodeFrom(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content.firstElementChild;
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  function apply(answer) {
    var added = 0;
    var newUpdates = [];
    var changedUpdates = [];
    (answer.removed || []).forEach(function (id) {
      var gone = list.querySelector('[data-entry="' + id + '"]');
      if (gone) gone.remove();
    });
    (answer.entries || []).forEach(function (item) {
      var node = nodeFrom(item.html);
      var shown = list.querySelector('[data-entry="' + item.id + '"]');
      if (shown) {
        shown.replaceWith(node);
        changedUpdates.push(item.update);
      } else if (item.id > newest) {
        // Oldest first in the answer: each new one goes on top.
        list.prepend(node);
        newest = item.id;
        added += 1;
        newUpdates.push(item.update);
      }
    });
    if (answer.json_ld) {
      editJsonLd(function (posting) {
        var updates = (posting.liveBlogUpdate || []).filter(function (update) {
          return answer.json_ld.removed.indexOf(update["@id"]) === -1;
        });
        changedUpdates.forEach(function (update) {
          var at = indexOfUpdate(updates, update["@id"]);
          if (at !== -1) updates[at] = update;
        });
        newUpdates.forEach(function (update) {
          updates.unshift(update);
        });
        posting.liveBlogUpdate = updates;
        Object.keys(answer.json_ld.set).forEach(function (key) {
          posting[key] = answer.json_ld.set[key];
        });
      });
    }
    var empty = list.querySelector("[data-empty]");
    if (empty && list.querySelector("[data-entry]")) empty.remove();
    if (pinned && "pinned_html" in answer) pinned.innerHTML = answer.pinned_html;
    if (summary && "summary_html" in answer) summary.innerHTML = answer.summary_html;
    since = String(answer.latest || since);
    if (added === 1) say("1 neuer Eintrag");
    else if (added > 1) say(added + " neue Einträge");
    if (answer.reload) {
      say("Viele neue Einträge: bitte die Seite neu laden.");
      stopped = true;
    }
    if (answer.ended) {
      say("Der Ticker ist beendet.");
      stopped = true;
    }
  }

  function poll() {
    if (stopped) return;
    if (document.hidden) {
      window.setTimeout(poll, interval);
      return;
    }
    fetch(url + "?seit=" + encodeURIComponent(since), {
      headers: { Accept: "application/json" },
      credentials: "omit",
    })
      .then(function (response) {
        if (response.status === 404 || response.status === 410) {
          say("Dieser Ticker ist nicht mehr verfügbar.");
          stopped = true;
          return null;
        }
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (answer) apply(answer);
      })
      .catch(function () {
        // Offline for a moment: the next poll catches up.
      })
      .then(function () {
        if (!stopped) window.setTimeout(poll, interval);
      });
  }

  function loadOlder(event) {
    var link = event.target.closest("[data-older]");
    if (!link) return;
    event.preventDefault();
    fetch(url + "?vor=" + link.getAttribute("data-older"), {
      headers: { Accept: "application/json" },
      credentials: "omit",
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (answer) {
        var older = [];
        answer.entries.forEach(function (item) {
          if (!list.querySelector('[data-entry="' + item.id + '"]')) {
            list.append(nodeFrom(item.html));
            older.push(item.update);
          }
        });
        editJsonLd(function (posting) {
          posting.liveBlogUpdate = (posting.liveBlogUpdate || []).concat(older);
        });
        if (answer.older_than) {
          link.setAttribute("data-older", answer.older_than);
          link.href = link.href.replace(/vor=\d+/, "vor=" + answer.older_than);
        } else {
          link.parentNode.remove();
        }
      })
      .catch(function () {
        window.location.href = link.href;
      });
  }

  ticker.addEventListener("click", loadOlder);
  if (ticker.hasAttribute("data-ended") || ticker.hasAttribute("data-older-page")) {
    return;
  }
  say("Neue Einträge erscheinen hier automatisch.");
  window.setTimeout(poll, interval);
})();
