// Teaser dates as readers say them: "vor 5 Min.", "heute, 18:30",
// "gestern, 18:30", "12.03.2025". The server writes the absolute time
// (<time datetime data-relative>), which the page cache and the memoised
// teaser markup may keep as long as they like; only the reader's clock
// knows how long ago it was. Without JavaScript the absolute time stays.
//
// No Intl here, on purpose: a page's first Intl.DateTimeFormat loads ICU's
// locale and time zone data, 40–110 ms on a desktop and a long task of
// several hundred milliseconds on a phone, on every page of the site
// (Lighthouse's total blocking time). Berlin's calendar is simple enough
// to compute.
(function () {
  "use strict";
  var HOUR = 3600000;
  var DAY = 24 * HOUR;

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  // 01:00 UTC on the last Sunday of `month` (0-based) in `year`.
  function lastSunday(year, month) {
    var last = new Date(Date.UTC(year, month + 1, 0, 1));
    return last.getTime() - last.getUTCDay() * DAY;
  }

  // Berlin's wall clock now, as the date and time parts of an ISO string:
  // CET, and CEST from the last Sunday of March to the last Sunday of
  // October at 01:00 UTC (EU law since 1996, so right for any reader's now).
  function berlinNow(moment) {
    var year = new Date(moment).getUTCFullYear();
    var summer = moment >= lastSunday(year, 2) && moment < lastSunday(year, 9);
    var wall = new Date(moment + (summer ? 2 : 1) * HOUR);
    return wall.getUTCFullYear() + "-" + pad(wall.getUTCMonth() + 1) + "-" +
      pad(wall.getUTCDate()) + "T" + pad(wall.getUTCHours()) + ":" +
      pad(wall.getUTCMinutes());
  }

  // "2025-03-12T18:30" → "12.03.2025"
  function day(wall) {
    return wall.slice(8, 10) + "." + wall.slice(5, 7) + "." + wall.slice(0, 4);
  }

  // `value` is the server's datetime attribute: Berlin's wall clock with
  // its offset at that moment ("2025-03-12T18:30:00+01:00"), right for
  // any year, so its date and time are read as written.
  function relative(value, now) {
    var then = Date.parse(value);
    var minutes = Math.floor((now - then) / 60000);
    if (!(minutes >= 0)) return null; // unreadable, or a reader's clock behind
    if (minutes < 1) return "gerade eben";
    if (minutes < 60) return "vor " + minutes + " Min.";
    var wall = value.slice(0, 16);
    var date = day(wall);
    var time = wall.slice(11, 16);
    if (date === day(berlinNow(now))) return "heute, " + time;
    if (date === day(berlinNow(now - DAY))) return "gestern, " + time;
    return date;
  }

  function update() {
    var now = Date.now();
    document.querySelectorAll("time[data-relative]").forEach(function (element) {
      var text = relative(element.getAttribute("datetime"), now);
      if (text) element.textContent = text;
    });
  }

  update();
  // Minutes pass while the page stays open.
  setInterval(update, 60000);
})();
