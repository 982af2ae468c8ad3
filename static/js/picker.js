/* The search box of a grouped checkbox picker (templates/_macros/picker.html).

   Without JavaScript the picker is checkboxes in a <details> per group. Here the hidden
   search box is shown; typing keeps the options whose label contains the text (accents and
   case ignored), opens the groups that have some and hides the others, and says how many
   are shown. The "Chosen:" line follows the ticks. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function labelOf(option) {
    return option.querySelector("label").textContent;
  }

  function setUp(picker) {
    var box = picker.querySelector("[data-picker-search]");
    var input = box.querySelector("input");
    var shown = picker.querySelector("[data-picker-shown]");
    var chosen = picker.querySelector("[data-picker-chosen]");
    var groups = Array.prototype.slice.call(picker.querySelectorAll("[data-picker-group]"));
    var wasOpen = groups.map(function (group) { return group.open; });
    box.hidden = false;

    function filter() {
      var text = fold(input.value);
      var total = 0;
      groups.forEach(function (group, index) {
        var count = 0;
        group.querySelectorAll("[data-picker-option]").forEach(function (option) {
          var match = !text || fold(labelOf(option)).indexOf(text) !== -1;
          option.hidden = !match;
          if (match) { count += 1; }
        });
        group.hidden = count === 0;
        group.open = text ? count > 0 : wasOpen[index];
        total += count;
      });
      shown.textContent = text ? window.unscarMessage("shown", {num: total}) : "";
    }

    function summarise() {
      var names = Array.prototype.map.call(picker.querySelectorAll("input[type=checkbox]:checked"), function (box) {
        return labelOf(box.closest("[data-picker-option]"));
      });
      chosen.textContent = names.length ? window.unscarMessage("chosen", {names: names.join("; ")})
                                        : window.unscarMessage("none_chosen");
    }

    input.addEventListener("input", filter);
    // Enter in the search box would submit the whole form: it only searches.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    picker.addEventListener("change", function (event) {
      if (event.target.type === "checkbox") { summarise(); }
    });
    groups.forEach(function (group, index) {
      group.addEventListener("toggle", function () { if (!input.value) { wasOpen[index] = group.open; } });
    });
  }

  document.querySelectorAll("[data-picker]").forEach(setUp);
}());
