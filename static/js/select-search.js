/* A search box that narrows the options of a long select (the ledger's categories).
 *
 * The page renders `<input type="search" class="select-search" aria-controls="ID" hidden>` before
 * `<select id="ID" data-searchable>`; without this script the box stays hidden and the select works
 * as it is. With it, typing hides the options (and optgroups) that do not contain the text; Enter
 * picks the first option left and fires the select's change (the ledger's filter listens to it).
 * No dependencies; the CSP allows scripts from this site only.
 */
(function () {
  "use strict";

  function matches(option, words) {
    var text = (option.textContent || "").toLowerCase();
    return words.every(function (word) { return text.indexOf(word) !== -1; });
  }

  function narrow(select, query) {
    var words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var keep = option.value === "" || words.length === 0 || matches(option, words);
      option.hidden = !keep;
      option.disabled = !keep && !option.selected;
      if (keep && option.value !== "" && first === null) { first = option; }
    });
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
    });
    return first;
  }

  function wire(input) {
    var select = document.getElementById(input.getAttribute("aria-controls"));
    if (!select || input.dataset.wired) { return; }
    input.dataset.wired = "1";
    input.hidden = false;
    input.addEventListener("input", function () { narrow(select, input.value); });
    // The box is no filter of its own: its change must not submit the form around it.
    input.addEventListener("change", function (event) { event.stopPropagation(); });
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      event.preventDefault();
      var first = narrow(select, input.value);
      if (first && select.value !== first.value) {
        select.value = first.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function init(root) {
    Array.prototype.forEach.call(root.querySelectorAll("input.select-search[aria-controls]"), wire);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
})();
