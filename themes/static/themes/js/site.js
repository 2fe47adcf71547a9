// Small progressive enhancements; every page works without this file.
(function () {
    "use strict";
    var wide = window.matchMedia("(min-width: 50rem)");

    // Phones: the search, account links and main navigation fold behind the Menu button
    // (a disclosure button: aria-expanded says whether the menu is shown). Without this
    // script the button stays hidden and the menu stays open.
    document.querySelectorAll("[data-menu]").forEach(function (header) {
        var button = header.querySelector(".menu-toggle");
        if (!button) return;
        function show(open) {
            header.classList.toggle("menu-open", open);
            button.setAttribute("aria-expanded", open ? "true" : "false");
        }
        show(false);
        header.classList.add("menu-ready");
        button.hidden = false;
        button.addEventListener("click", function () {
            show(button.getAttribute("aria-expanded") !== "true");
        });
        header.addEventListener("keydown", function (event) {
            if (event.key === "Escape" && header.classList.contains("menu-open") && !header.querySelector("details.dropdown[open]")) {
                show(false);
                button.focus();
            }
        });
    });

    // Browse pages: the filter panel starts open on wide screens, folded on phones.
    if (wide.matches) {
        document.querySelectorAll("details.filters-panel").forEach(function (panel) {
            panel.open = true;
        });
    }

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
