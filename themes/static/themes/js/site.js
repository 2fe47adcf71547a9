// Small progressive enhancements; every page works without this file.
(function () {
    "use strict";
    // Close open dropdown menus with Escape or a click elsewhere.
    document.addEventListener("keydown", function (event) {
        if (event.key !== "Escape") return;
        document.querySelectorAll("details.dropdown[open]").forEach(function (menu) {
            menu.removeAttribute("open");
            menu.querySelector("summary").focus();
        });
    });
    document.addEventListener("click", function (event) {
        document.querySelectorAll("details.dropdown[open]").forEach(function (menu) {
            if (!menu.contains(event.target)) menu.removeAttribute("open");
        });
    });
})();
