// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to an error summary so screen reader users hear what went wrong.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // The CSV progress page: poll the progress endpoint and move the bar; reload when finished.
  var box = document.querySelector("[data-progress-url]");
  if (!box) { return; }
  var bar = box.querySelector(".progress__bar");
  var text = box.querySelector("[data-progress-text]");
  var meter = box.querySelector("[role=progressbar]");
  function poll() {
    fetch(box.getAttribute("data-progress-url"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        bar.style.width = state.percent + "%";
        meter.setAttribute("aria-valuenow", state.percent);
        text.textContent = state.percent + "%";
        if (state.finished) { window.location.reload(); } else { window.setTimeout(poll, 700); }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 400);
})();
