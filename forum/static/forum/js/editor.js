// Machina's Markdown editor (EasyMDE) on every textarea machina marks, as machina's own
// machina.editor.js does, but with the icon font served by the site: EasyMDE would otherwise
// fetch Font Awesome from a CDN, which the Content-Security-Policy (rightly) blocks.
(function () {
  "use strict";
  function start() {
    document.querySelectorAll("textarea.machina-mde-markdown").forEach(function (element) {
      new window.EasyMDE({
        element: element,
        autoDownloadFontAwesome: false,
        hideIcons: ["preview", "guide", "side-by-side", "fullscreen"],
        renderingConfig: { singleLineBreaks: false },
        spellChecker: false,
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
