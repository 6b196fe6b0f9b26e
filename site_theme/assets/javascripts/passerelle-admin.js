// The records editor (/admin/): before a record is saved, drop the fields left empty.
// An empty text, list or group means « not known »: the record leaves the field out,
// as a person writing the YAML would, instead of writing `voie: ""`, which the
// loader refuses. This runs whatever the backend (GitHub, GitLab, `passerelle edit`).
(function () {
  "use strict";

  function isEmpty(value) {
    return value === "" || value === null || value === undefined || (typeof value.size === "number" && value.size === 0);
  }

  // Decap's entry data is an Immutable.js Map of Maps and Lists: both have map() and filter().
  function withoutEmpty(value) {
    if (value && typeof value.toJS === "function") {
      return value.map(withoutEmpty).filter(function (item) { return !isEmpty(item); });
    }
    return value;
  }

  window.CMS.registerEventListener({
    name: "preSave",
    handler: function (event) { return withoutEmpty(event.entry.get("data")); },
  });
})();
