// machina's Markdown editor (EasyMDE/CodeMirror) types into a hidden textarea that has no label;
// give it the label of the field it edits, so screen readers announce it.
(function () {
  function labelEditors() {
    document.querySelectorAll(".CodeMirror textarea:not([aria-label])").forEach(function (area) {
      var wrapper = area.closest(".EasyMDEContainer") || area.closest(".CodeMirror").parentElement;
      var source = wrapper && wrapper.parentElement.querySelector("textarea[id]");
      var label = source && document.querySelector('label[for="' + source.id + '"]');
      area.setAttribute("aria-label", label ? label.textContent.trim() : "Message");
    });
  }
  new MutationObserver(labelEditors).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", labelEditors);
})();
