/* Repeating rows of a form (the results framework, the budget lines), without a framework.

   Markup: a container [data-repeat="NAME"] holds items [data-item]; an item holds inputs
   [data-field="KEY"], labels [data-label="Text"][data-label-for="KEY"], buttons
   [data-remove] and nested containers. [data-add="NAME"] adds a copy of
   <template data-template="NAME"> to the nearest such container. After every change the
   names are renumbered the way WTForms' FieldList reads them (results-0-outputs-1-output)
   and the labels say where they are ("Output 1.2"). */
(function () {
  "use strict";

  function ownNodes(item, selector) {
    // Nodes whose nearest item is `item` itself (not a nested one).
    return Array.prototype.filter.call(item.querySelectorAll(selector), function (node) {
      return node.closest("[data-item]") === item;
    });
  }

  function items(container) {
    return Array.prototype.filter.call(container.children, function (node) { return node.hasAttribute("data-item"); });
  }

  function renumber(container, prefix, numbers) {
    var name = container.getAttribute("data-repeat");
    items(container).forEach(function (item, index) {
      var itemPrefix = prefix + name + "-" + index + "-";
      var place = numbers.concat([index + 1]).join(".");
      ownNodes(item, "[data-field]").forEach(function (input) {
        input.name = itemPrefix + input.getAttribute("data-field");
        input.id = input.name;
      });
      ownNodes(item, "[data-label]").forEach(function (label) {
        label.textContent = label.getAttribute("data-label") + " " + place;
        label.htmlFor = itemPrefix + label.getAttribute("data-label-for");
      });
      ownNodes(item, "[data-aria]").forEach(function (button) {
        button.setAttribute("aria-label", button.getAttribute("data-aria") + " " + place);
      });
      Array.prototype.filter.call(item.querySelectorAll("[data-repeat]"), function (nested) {
        return nested.parentElement.closest("[data-item]") === item;
      }).forEach(function (nested) { renumber(nested, itemPrefix, numbers.concat([index + 1])); });
    });
  }

  function renumberAll() {
    document.querySelectorAll("[data-repeat]").forEach(function (container) {
      if (!container.parentElement.closest("[data-item]")) { renumber(container, "", []); }
    });
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add]");
    var remove = event.target.closest("[data-remove]");
    if (add) {
      var name = add.getAttribute("data-add");
      var scope = add.closest("[data-item]") || document;
      var container = scope.querySelector('[data-repeat="' + name + '"]');
      var template = document.querySelector('template[data-template="' + name + '"]');
      if (!container || !template || items(container).length >= Number(container.getAttribute("data-max") || 100)) {
        return;
      }
      var copy = template.content.firstElementChild.cloneNode(true);
      container.appendChild(copy);
      renumberAll();
      var first = copy.querySelector("input, select, textarea");
      if (first) { first.focus(); }
    } else if (remove) {
      // The focus was on the removed button: give it to the row before (or after), else to
      // the Add button, so a keyboard user is not sent back to the top of the page.
      var item = remove.closest("[data-item]");
      var neighbour = item.previousElementSibling || item.nextElementSibling;
      var adder = document.querySelector('[data-add="' + item.parentElement.getAttribute("data-repeat") + '"]');
      var scoped = item.parentElement.parentElement.closest("[data-item]");
      if (scoped) { adder = scoped.querySelector('[data-add="' + item.parentElement.getAttribute("data-repeat") + '"]'); }
      item.remove();
      renumberAll();
      var next = neighbour && neighbour.hasAttribute("data-item") ? neighbour.querySelector("input, select, textarea") : adder;
      if (next) { next.focus(); }
    }
  });
})();
