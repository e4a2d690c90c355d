/* A filter form marked `data-clean-query` sends only the fields that hold a value, so the address
 * htmx pushes (and a clerk copies to share) reads `?state=submitted&sort=deadline`, not a list of
 * every empty field. Without this script the form still works, with the empty fields in the URL.
 */
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-clean-query")) { return; }
    var parameters = event.detail.parameters;
    var empty = [];
    // A FormData-backed object in htmx 2: read the names first, then drop the empty ones.
    Object.keys(parameters).forEach(function (name) {
      var value = parameters[name];
      var values = Array.isArray(value) ? value : [value];
      if (values.every(function (v) { return v === "" || v === null || v === undefined; })) {
        empty.push(name);
      }
    });
    empty.forEach(function (name) { delete parameters[name]; });
  });
})();
