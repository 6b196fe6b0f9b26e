// Material opens its menu and, below 1220 px, each section of the menu with <label>s of hidden
// checkboxes: a mouse or a finger can press them, the keyboard cannot reach them. There the
// navigation sits in a drawer that passerelle.css hides until it opens (hidden links must not take
// the focus), so these labels are the keyboard's only way to it. The header's menu label becomes a
// real button (passerelle.css repeats Material's [for=…] rule for its data-for); the menu's sections
// become focusable, as Material already makes its other expandable entries. Opening the drawer or a
// section moves the focus into it, the page under the open drawer cannot take the focus, and Escape
// closes the drawer.
(function () {
  "use strict";

  var SMALL = window.matchMedia("(max-width: 76.2344em)");

  function toggleOf(label) {
    return document.getElementById(label.htmlFor);
  }

  function pressWithKeys(label) {
    label.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        label.click();
      }
    });
  }

  function buttonFor(label, name) {
    var toggle = toggleOf(label);
    if (!toggle) return null;
    var button = document.createElement("button");
    button.type = "button";
    button.className = label.className;
    button.dataset.for = label.htmlFor;
    button.setAttribute("aria-label", name);
    button.setAttribute("aria-expanded", String(toggle.checked));
    while (label.firstChild) button.appendChild(label.firstChild);
    label.replaceWith(button);
    button.addEventListener("click", function () {
      toggle.click();
    });
    toggle.addEventListener("change", function () {
      button.setAttribute("aria-expanded", String(toggle.checked));
    });
    return button;
  }

  // The header's menu button: always.
  var drawer = document.getElementById("__drawer");
  var menuLabel = document.querySelector('.md-header label.md-header__button[for="__drawer"]');
  var menuButton = menuLabel && buttonFor(menuLabel, "Menu");

  // Section panels of the drawer, and their « back » titles: only where the drawer is used.
  var panelLabels = Array.prototype.filter.call(
    document.querySelectorAll(".md-sidebar--primary label.md-nav__link[for], .md-sidebar--primary label.md-nav__title[for]"),
    function (label) { return toggleOf(label) && label.htmlFor !== "__drawer"; }
  );
  var previous = panelLabels.map(function (label) { return label.getAttribute("tabindex"); });
  panelLabels.forEach(pressWithKeys);
  function fitPanels() {
    panelLabels.forEach(function (label, index) {
      if (SMALL.matches) {
        label.tabIndex = 0;
      } else {
        if (previous[index] === null) label.removeAttribute("tabindex");
        else label.setAttribute("tabindex", previous[index]);
      }
    });
  }
  fitPanels();
  SMALL.addEventListener("change", fitPanels);

  // Focus follows what opens; `visibility` changes at once on opening (passerelle.css).
  // The first link or button of `container` that can take the focus (visible, passerelle.css).
  function firstLinkIn(container) {
    if (!container) return null;
    return Array.prototype.find.call(container.querySelectorAll("a[href], label[tabindex='0']"), function (element) {
      return element.checkVisibility ? element.checkVisibility({ visibilityProperty: true }) : element.offsetParent !== null;
    });
  }
  document.addEventListener("change", function (event) {
    var toggle = event.target;
    if (!SMALL.matches || !toggle.classList || !toggle.classList.contains("md-toggle")) return;
    var target;
    if (toggle.id === "__drawer") {
      target = toggle.checked && firstLinkIn(document.querySelector(".md-sidebar--primary"));
    } else if (toggle.classList.contains("md-nav__toggle")) {
      // Opened: its first link; closed with « back »: the section it came from.
      target = toggle.checked ? firstLinkIn(toggle.parentElement.querySelector(":scope > .md-nav")) : document.getElementById(toggle.id + "_label");
    }
    if (target) target.focus();
  });
  // While the drawer is open on a small screen, what it covers leaves the Tab order, as behind a
  // dialog: Tab goes round the menu's links instead of into the page hidden under it, and Escape
  // closes it (the menu button is under the drawer too).
  var covered = document.querySelectorAll(".md-skip, .md-header, .md-main__inner > :not(.md-sidebar--primary), .md-footer, .md-top");
  function coverPage() {
    var open = Boolean(drawer && drawer.checked && SMALL.matches);
    Array.prototype.forEach.call(covered, function (element) { element.inert = open; });
  }
  if (drawer) drawer.addEventListener("change", coverPage);
  SMALL.addEventListener("change", coverPage);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drawer && drawer.checked && menuButton) {
      drawer.checked = false;
      drawer.dispatchEvent(new Event("change", { bubbles: true }));
      menuButton.focus();
    }
  });
})();
