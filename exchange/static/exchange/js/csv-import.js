// Progress of a CSV import: polls the page's JSON status and reloads the page when the job
// ends. Without JavaScript the page offers a refresh link.
(function () {
  "use strict";
  var status = document.getElementById("import-status");
  if (!status || !status.dataset.poll) return;
  var progress = document.getElementById("import-progress");
  function poll() {
    fetch(status.dataset.poll, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.running) { window.location.reload(); return; }
        if (progress) { progress.value = data.percent; progress.textContent = data.percent + "%"; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
