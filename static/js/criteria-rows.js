/* "Add a criterion": copies the last row of the criteria table with the next index
   (criteria-N-name, criteria-N-guidance, criteria-N-weight) and empty values. */
(function () {
  "use strict";
  var button = document.getElementById("add-criterion");
  var rows = document.getElementById("criteria-rows");
  if (!button || !rows) { return; }
  button.addEventListener("click", function () {
    var count = rows.querySelectorAll("tr.criterion-row").length;
    if (count >= Number(button.dataset.max || 30)) { return; }
    var copy = rows.querySelector("tr.criterion-row:last-child").cloneNode(true);
    copy.querySelectorAll(".invalid-feedback").forEach(function (node) { node.remove(); });
    copy.querySelectorAll("input, textarea").forEach(function (input) {
      input.name = input.name.replace(/^criteria-\d+-/, "criteria-" + count + "-");
      input.id = input.name;
      input.value = "";
      input.classList.remove("is-invalid");
    });
    rows.appendChild(copy);
    copy.querySelector("input").focus();
  });
})();
