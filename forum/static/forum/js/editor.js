// Machina's Markdown editor (EasyMDE) on every textarea machina marks, as machina's own
// machina.editor.js does, but with the icon font served by the site: EasyMDE would otherwise
// fetch Font Awesome from a CDN, which the Content-Security-Policy (rightly) blocks.
// On a topic page, "Quote" puts the quoted post into the reply box below the posts (without
// JavaScript the link opens the reply page with the quote).
(function () {
  "use strict";
  function start() {
    document.querySelectorAll("textarea.machina-mde-markdown").forEach(function (element) {
      element.easyMDE = new window.EasyMDE({
        element: element,
        autoDownloadFontAwesome: false,
        hideIcons: ["preview", "guide", "side-by-side", "fullscreen"],
        renderingConfig: { singleLineBreaks: false },
        spellChecker: false,
      });
    });
    var replyBox = document.querySelector("#reply textarea.machina-mde-markdown");
    if (!replyBox || !replyBox.easyMDE) {
      return;
    }
    document.querySelectorAll("a.quote-link[data-quote-url]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        fetch(link.dataset.quoteUrl, { credentials: "same-origin" })
          .then(function (response) {
            if (!response.ok) {
              throw new Error(response.status);
            }
            return response.text();
          })
          .then(function (quote) {
            var editor = replyBox.easyMDE;
            var current = editor.value();
            editor.value((current.trim() ? current.replace(/\s*$/, "\n\n") : "") + quote);
            document.getElementById("reply").scrollIntoView();
            editor.codemirror.focus();
            editor.codemirror.setCursor(editor.codemirror.lineCount(), 0);
          })
          .catch(function () {
            window.location.href = link.href;
          });
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
