// TalentBridge console: a little JavaScript on top of plain forms, which work without it.
(function () {
  "use strict";

  // The phone menu.
  var toggle = document.querySelector(".menu-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var nav = document.getElementById("nav");
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // Forms that ask first (erasure, closing a job): data-confirm holds the question.
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // Auto-submitting selects (a referral's stage on the board).
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) event.target.form.requestSubmit();
  });

  // Drag a ticket onto a column: it posts the ticket's own stage form with that column's stage.
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var ticket = event.target.closest && event.target.closest(".ticket[draggable]");
    if (!ticket) return;
    dragged = ticket;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", ticket.id);
  });
  document.querySelectorAll(".column[data-stage]").forEach(function (column) {
    column.addEventListener("dragover", function (event) {
      if (!dragged) return;
      event.preventDefault();
      column.classList.add("drop");
    });
    column.addEventListener("dragleave", function () { column.classList.remove("drop"); });
    column.addEventListener("drop", function (event) {
      event.preventDefault();
      column.classList.remove("drop");
      if (!dragged) return;
      var form = dragged.querySelector("form.move");
      var select = form && form.querySelector("select[name=stage]");
      var stage = column.getAttribute("data-stage");
      dragged = null;
      if (!select || !select.querySelector('option[value="' + stage + '"]')) {
        column.classList.add("refused");
        window.setTimeout(function () { column.classList.remove("refused"); }, 800);
        return;
      }
      select.value = stage;
      form.requestSubmit();
    });
  });
})();
