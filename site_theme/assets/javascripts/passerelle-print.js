// « Imprimer la fiche » needs JavaScript: the buttons stay hidden without it, and a
// sentence explains the browser's own print command instead.
document.querySelectorAll("[data-pa-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
document.querySelectorAll("[data-pa-print-hint]").forEach(function (hint) {
  hint.hidden = true;
});
