/*
 * Passerelle: what a record's dated facts say of one day, on the place's day.
 *
 * Pages are built on one day and read on later ones: the finder and the maps get
 * each record's temporary closures, exceptional hours and hours on public
 * holidays as dated rows (generator/site/closures.py) and decide here, with the
 * browser's clock read in the place's time zone. Shared by passerelle-finder.js
 * and passerelle-map.js, loaded before them; nothing leaves the browser.
 */
(function () {
  "use strict";

  var MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  var CALENDARS = {};  // time zone → its Intl.DateTimeFormat, made once (making one is slow)

  // Today at a place, AAAA-MM-JJ, in its time zone (an IANA name, generator/site/hours.py
  // time_zone): the records' dates are the place's, and at 22 h in Paris it is already tomorrow
  // in La Réunion. Without a zone, or in a browser that does not know it, the visitor's day.
  function today(timeZone) {
    var now = new Date();
    try {
      if (timeZone) {
        CALENDARS[timeZone] = CALENDARS[timeZone] || new Intl.DateTimeFormat("en", { timeZone: timeZone, year: "numeric", month: "numeric", day: "numeric" });
        var parts = {};
        CALENDARS[timeZone].formatToParts(now).forEach(function (part) { parts[part.type] = Number(part.value); });
        return parts.year + "-" + pad(parts.month) + "-" + pad(parts.day);
      }
    } catch (unknownZone) {
      // RangeError: an old browser without time zone data; the visitor's day is the best it knows.
    }
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  // Monday 0 … Sunday 6, as the weekly schedules.
  function weekday(iso) {
    var parts = iso.split("-").map(Number);
    return (new Date(parts[0], parts[1] - 1, parts[2]).getDay() + 6) % 7;
  }

  // The closure [du, au] covering a day, or null. AAAA-MM-JJ strings compare as dates.
  function closureOn(closures, iso) {
    return (closures || []).filter(function (period) { return period[0] <= iso && iso <= period[1]; })[0] || null;
  }

  // Closures not over on a day, first one first (the rows list them in order).
  function comingClosures(closures, iso) {
    return (closures || []).filter(function (period) { return period[1] >= iso; });
  }

  // « 20 décembre 2026 », « 1er janvier 2027 »: generator/site/text.py date_fr.
  function dateText(iso) {
    var parts = iso.split("-").map(Number);
    return (parts[2] === 1 ? "1er" : String(parts[2])) + " " + MONTHS[parts[1] - 1] + " " + parts[0];
  }

  // « le 24 décembre 2026 », « du 20 au 24 décembre 2026 »…: generator/site/text.py period_fr.
  function periodText(du, au) {
    if (du === au) return "le " + dateText(du);
    var first = dateText(du).split(" ");
    if (du.slice(0, 7) === au.slice(0, 7)) return "du " + first[0] + " au " + dateText(au);
    if (du.slice(0, 4) === au.slice(0, 4)) return "du " + first[0] + " " + first[1] + " au " + dateText(au);
    return "du " + dateText(du) + " au " + dateText(au);
  }

  // Open intervals of a day from its code (« 0900-1200,1400-1700 »): [] closed, null unknown (« ? »).
  // An interval's note follows it, percent-encoded (« 0900-1200~sur%20rendez-vous »), and so
  // does an unknown day's (« ?~un%20samedi%20par%20mois ») and a closed day's (« ~atelier »):
  // generator/site/hours.py.
  function spans(code) {
    if (code.charAt(0) === "?") return null;
    return code && code.charAt(0) !== "~" ? code.split(",").map(function (interval) {
      var times = interval.split("~")[0].split("-");
      return { begin: times[0], end: times[1], note: noteOf(interval) };
    }) : [];
  }

  function noteOf(text) {
    var at = text.indexOf("~");
    return at < 0 ? "" : decodeURIComponent(text.slice(at + 1));
  }

  // What a finder row says of a day: {spans, why, holiday, note of an unknown or closed day}, or null
  // when nothing is known.
  // The order of generator/site/hours.py day_hours: a closure, then exceptional hours,
  // then the regular hours (the usual week, or the day's own when they change with the
  // date: `hc`), which on a public holiday are those of their `PH` rule (`j`);
  // without one they are unknown, unless the place is closed that day of the week anyway.
  function dayOf(row, iso, holidays) {
    if (closureOn(row.f, iso)) return { spans: [], why: "fermeture" };
    var holiday = (holidays || {})[iso] || null;
    if (row.e && row.e[iso] !== undefined) return said(row.e[iso], "exceptionnel", holiday);
    if (!row.h) return null;
    // Hours that change with the date (« Aug off ») list the days that differ from the usual week.
    var code = row.hc && row.hc[iso] !== undefined ? row.hc[iso] : row.h.split("|")[weekday(iso)] || "";
    if (!holiday) return said(code, "habituel", null);
    var holidayCode = typeof row.j === "string" ? row.j : row.j ? row.j[iso] : undefined;
    if (holidayCode !== undefined) return said(holidayCode, "ferie", holiday);
    var regular = spans(code);
    return said(regular && !regular.length ? code : "?", "ferie", holiday);
  }

  // A day from its code, with the note of a day without open hours (« Fermé aujourd’hui (réunion) »).
  function said(code, why, holiday) {
    var open = spans(code);
    return { spans: open, why: why, holiday: holiday, note: open && open.length ? "" : noteOf(code) };
  }

  window.PasserelleDays = {
    today: today,
    closureOn: closureOn,
    comingClosures: comingClosures,
    periodText: periodText,
    dayOf: dayOf,
  };
})();
