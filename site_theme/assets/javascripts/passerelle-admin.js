// The records editor (/admin/): before a record is saved, drop the fields left empty.
// An empty text, list or group means « not known »: the record leaves the field out,
// as a person writing the YAML would, instead of writing `voie: ""`, which the
// loader refuses. This runs whatever the backend (GitHub, GitLab, `passerelle edit`).
// And a yes-or-no field a record may leave unsaid (« accessible en fauteuil roulant »)
// gets three choices, « Non renseigné » among them: Decap's toggle can only say yes or no.
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

  var CHOICES = [
    { label: "Oui", value: true },
    { label: "Non", value: false },
    { label: "Non renseigné", value: null },
  ];

  // The stored value is true, false or nothing (null, dropped on saving like any empty field).
  var YesNoUnknown = window.createClass({
    render: function () {
      var props = this.props;
      var current = props.value === true || props.value === false ? props.value : null;
      return window.h(
        "div",
        { id: props.forID, role: "radiogroup", "aria-label": props.field.get("label"), className: props.classNameWrapper },
        CHOICES.map(function (choice) {
          return window.h(
            "label",
            { key: String(choice.value), style: { marginRight: "1.5em", whiteSpace: "nowrap" } },
            window.h("input", {
              type: "radio",
              name: props.forID,
              checked: current === choice.value,
              onChange: function () { props.onChange(choice.value); },
              onFocus: props.setActiveStyle,
              onBlur: props.setInactiveStyle,
            }),
            " " + choice.label
          );
        })
      );
    },
  });
  window.CMS.registerWidget("oui-non-inconnu", YesNoUnknown);

  window.CMS.registerEventListener({
    name: "preSave",
    handler: function (event) { return withoutEmpty(event.entry.get("data")); },
  });
})();
