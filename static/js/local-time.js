/* Deadlines for viewers without a profile time zone: the server writes UTC in
   <time datetime="..." data-local-time>; this shows the browser's zone first, then UTC. */
(function () {
  "use strict";
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var language = document.documentElement.lang || "en";
  var options = { timeZone: zone, day: "2-digit", month: "short", year: "numeric",
                  hour: "2-digit", minute: "2-digit", hourCycle: "h23", numberingSystem: "latn" };
  var format = new Intl.DateTimeFormat(language === "en" ? "en-US" : language, options);

  function display(date) {
    if (language !== "en") {  // the page's language orders day, month and year its own way
      return format.format(date) + " " + zone;
    }
    var parts = {};
    format.formatToParts(date).forEach(function (part) { parts[part.type] = part.value; });
    return parts.day + " " + parts.month + " " + parts.year + " " + parts.hour + ":" + parts.minute + " " + zone;
  }

  document.querySelectorAll("time[data-local-time]").forEach(function (element) {
    var date = new Date(element.getAttribute("datetime"));
    if (isNaN(date.getTime())) { return; }
    var utc = document.createElement("span");
    utc.className = "text-muted utc-time";
    utc.textContent = " (" + element.textContent + ")";
    element.textContent = display(date);
    element.setAttribute("data-zone", zone);
    element.after(utc);
  });
})();
