// Exchange map: one marker per listing from the page's JSON, clustered
// (Leaflet.markercluster); background tiles when a tile URL is set. The list below the map
// holds the same listings for keyboard and screen-reader users.
(function () {
    "use strict";
    var element = document.getElementById("exchange-map");
    var data = document.getElementById("exchange-markers");
    if (!element || !data || typeof L === "undefined") return;
    var markers = JSON.parse(data.textContent);
    // maxZoom on the map itself: without tiles nothing else sets it, and clustering needs it.
    var map = L.map(element, { maxZoom: 18 }).setView([48.5, 14.5], 5);
    if (element.dataset.tileUrl) {
        L.tileLayer(element.dataset.tileUrl, {
            maxZoom: 18,
            attribution: element.dataset.attribution || ""
        }).addTo(map);
    }
    var group = typeof L.markerClusterGroup === "function"
        ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 })
        : L.layerGroup();
    var bounds = [];
    markers.forEach(function (m) {
        var popup = document.createElement("div");
        var link = document.createElement("a");
        link.href = m.url;
        link.textContent = m.title;
        popup.appendChild(link);
        var meta = document.createElement("div");
        meta.textContent = [m.kind_label, m.place, m.organisation].filter(Boolean).join(" · ");
        popup.appendChild(meta);
        var marker = L.marker([m.lat, m.lon], {
            title: m.kind_label + ": " + m.title,
            alt: m.kind_label + ": " + m.title,
            icon: L.divIcon({
                className: "exchange-marker exchange-marker-" + m.kind,
                iconSize: [18, 18]
            })
        });
        marker.bindPopup(popup);
        group.addLayer(marker);
        bounds.push([m.lat, m.lon]);
    });
    map.addLayer(group);
    if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 10 });
})();
