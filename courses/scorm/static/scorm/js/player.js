/* The SCORM runtime of a lesson: scorm-again's API for the package's version, loaded with what
   the server knows of the attempt, committing to the server; then the package's frame starts. */
(function () {
  "use strict";
  var root = document.getElementById("scorm-player");
  var settingsNode = document.getElementById("scorm-settings");
  if (!root || !settingsNode) {
    return;
  }
  var settings = JSON.parse(settingsNode.textContent);
  var status = document.getElementById("scorm-status");
  var options = {
    lmsCommitUrl: settings.commitUrl,
    autocommit: true,
    autocommitSeconds: 10,
    dataCommitFormat: "json",
    logLevel: 4,
    alwaysSendTotalTime: true,
  };
  var is12 = settings.version === "1.2";
  var api = is12 ? new window.Scorm12API(options) : new window.Scorm2004API(options);
  if (is12) {
    window.API = api;
  } else {
    window.API_1484_11 = api;
  }
  api.loadFromJSON(settings.cmi);
  api.on(is12 ? "LMSFinish" : "Terminate", function () {
    if (status) {
      status.textContent = root.dataset.finished;
    }
    // Show the lesson's new state (completed, progress) once the final commit is stored.
    window.setTimeout(function () {
      window.location.reload();
    }, 400);
  });
  var frame = root.querySelector("iframe");
  frame.src = frame.dataset.src;
})();
