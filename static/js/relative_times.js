// Teaser dates as readers say them: "vor 5 Min.", "heute, 18:30",
// "gestern, 18:30", "12.03.2025". The server writes the absolute time
// (<time datetime data-relative>), which the page cache and the memoised
// teaser markup may keep as long as they like; only the reader's clock
// knows how long ago it was. Without JavaScript the absolute time stays.
(function () {
  "use strict";
  var zone = "Europe/Berlin";
  var dayFormat = new Intl.DateTimeFormat("de-DE", {
    timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
  });
  var timeFormat = new Intl.DateTimeFormat("de-DE", {
    timeZone: zone, hour: "2-digit", minute: "2-digit",
  });

  function relative(then, now) {
    var minutes = Math.floor((now - then) / 60000);
    if (minutes < 0) return null; // a reader's clock behind the server's
    if (minutes < 1) return "gerade eben";
    if (minutes < 60) return "vor " + minutes + " Min.";
    var day = dayFormat.format(then);
    if (day === dayFormat.format(now)) return "heute, " + timeFormat.format(then);
    var yesterday = new Date(now.getTime() - 86400000);
    if (day === dayFormat.format(yesterday)) {
      return "gestern, " + timeFormat.format(then);
    }
    return day;
  }

  function update() {
    var now = new Date();
    document.querySelectorAll("time[data-relative]").forEach(function (element) {
      var text = relative(new Date(element.getAttribute("datetime")), now);
      if (text) element.textContent = text;
    });
  }

  update();
  // Minutes pass while the page stays open.
  setInterval(update, 60000);
})();
