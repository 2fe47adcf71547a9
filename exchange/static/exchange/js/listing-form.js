// The listing form shows the fields of the chosen kind and, for a price per unit, the amount
// and currency. The server draws the page the same way; this only follows changes.
(function () {
    "use strict";
    var form = document.querySelector(".listing-form");
    if (!form) return;
    function value(name) {
        var checked = form.querySelector("[name='" + name + "']:checked");
        if (checked) return checked.value;
        var field = form.querySelector("select[name='" + name + "']");
        return field ? field.value : "";
    }
    function update() {
        var kind = value("kind"), price = value("price_type");
        form.querySelectorAll("[data-kind-only]").forEach(function (element) {
            element.hidden = Boolean(kind) && element.dataset.kindOnly !== kind;
        });
        form.querySelectorAll("[data-price-only]").forEach(function (element) {
            element.hidden = element.dataset.priceOnly !== price;
        });
    }
    form.addEventListener("change", function (event) {
        if (event.target.name === "kind" || event.target.name === "price_type") update();
    });
})();
