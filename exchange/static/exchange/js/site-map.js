// Site position: a map with a pin the member drags to the exact spot; the latitude and
// longitude fields follow the pin (and the pin follows them), so typing stays possible.
(function () {
    "use strict";
    if (typeof L === "undefined") return;
    document.querySelectorAll("[data-site-map]").forEach(function (element) {
        var latInput = document.getElementById(element.dataset.latInput);
        var lonInput = document.getElementById(element.dataset.lonInput);
        if (!latInput || !lonInput) return;
        element.hidden = false;
        function position() {
            var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
            return isNaN(lat) || isNaN(lon) ? null : [lat, lon];
        }
        var start = position();
        var map = L.map(element, { maxZoom: 19 }).setView(start || [48.5, 14.5], start ? 14 : 4);
        if (element.dataset.tileUrl) {
            L.tileLayer(element.dataset.tileUrl, {
                maxZoom: 19,
                attribution: element.dataset.attribution || ""
            }).addTo(map);
        }
        var pin = L.marker(start || map.getCenter(), {
            draggable: true,
            title: element.getAttribute("aria-label"),
            icon: L.divIcon({ className: "exchange-marker exchange-marker-offer", iconSize: [20, 20] })
        });
        if (start) pin.addTo(map);
        function setInputs(latlng) {
            latInput.value = latlng.lat.toFixed(6);
            lonInput.value = latlng.lng.toFixed(6);
        }
        pin.on("dragend", function () { setInputs(pin.getLatLng()); });
        map.on("click", function (event) {
            pin.setLatLng(event.latlng).addTo(map);
            setInputs(event.latlng);
        });
        [latInput, lonInput].forEach(function (input) {
            input.addEventListener("change", function () {
                var here = position();
                if (here) { pin.setLatLng(here).addTo(map); map.panTo(here); }
            });
        });
    });
})();
