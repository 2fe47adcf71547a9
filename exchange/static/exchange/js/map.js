// Exchange map: markers from the page's JSON; background tiles only when a tile URL is set.
(function () {
    var element = document.getElementById("exchange-map");
    var data = document.getElementById("exchange-markers");
    if (!element || !data || typeof L === "undefined") return;
    var markers = JSON.parse(data.textContent);
    var map = L.map(element).setView([48.5, 14.5], 5);
    if (element.dataset.tileUrl) {
        L.tileLayer(element.dataset.tileUrl, { maxZoom: 18, attribution: element.dataset.attribution || "" }).addTo(map);
    }
    var bounds = [];
    markers.forEach(function (m) {
        var link = document.createElement("a");
        link.href = m.url;
        link.textContent = m.title;
        L.circleMarker([m.lat, m.lon], {
            radius: 7, weight: 2,
            color: m.kind === "offer" ? "#1f6f5c" : "#8a5a00",
            fillOpacity: 0.7
        }).bindPopup(link).addTo(map);
        bounds.push([m.lat, m.lon]);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 10 });
})();
