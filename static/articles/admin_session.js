// Every admin page: unsaved article input that article_form.js keeps in
// this browser belongs to the person logged in. It is removed when they log
// out (the server also sends Clear-Site-Data then), and a different login
// removes what others left behind, so the next person at a shared browser
// cannot restore someone else's text.
(function () {
  "use strict";
  var PREFIX = "newsroom:artikel:";

  function removeCopies(keepUser) {
    var own = keepUser ? PREFIX + keepUser + ":" : null;
    try {
      for (var index = localStorage.length - 1; index >= 0; index -= 1) {
        var key = localStorage.key(index);
        if (key && key.indexOf(PREFIX) === 0 && !(own && key.indexOf(own) === 0)) {
          localStorage.removeItem(key);
        }
      }
    } catch (error) { /* storage disabled: nothing is kept either */ }
  }

  var meta = document.querySelector("meta[name=newsroom-user]");
  var user = meta ? meta.content : "";
  if (user) removeCopies(user);
  // The admin's logout is a form in the header of every page.
  document.addEventListener("submit", function (event) {
    if (event.target && event.target.id === "logout-form") removeCopies(null);
  }, true);
})();
