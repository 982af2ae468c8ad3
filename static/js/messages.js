/* The messages the page's scripts write, in the reader's language: base.html gives them as
   JSON (unscar/i18n.py SCRIPT_MESSAGES). window.unscarMessage("saved_at", {time: "10:42"}). */
(function () {
  "use strict";
  var element = document.getElementById("script-messages");
  var messages = element ? JSON.parse(element.textContent) : {};
  window.unscarMessage = function (key, values) {
    return (messages[key] || key).replace(/%\(([a-z_]+)\)s/g, function (whole, name) {
      return values && name in values ? String(values[name]) : whole;
    });
  };
})();
