/* The live map's script: turns the page's list of events into a map with filters, search and
 * links that can be shared. The list in the HTML is the page; this script only moves, hides,
 * copies and adds to its nodes. Form text is never turned into markup here: every event's text
 * was escaped when the page was written, and anything the script writes is set as text. */
"use strict";
(function () {
  var root = document.documentElement;
  root.classList.add("js");
  root.dataset.ready = "no";

  var config = JSON.parse(document.getElementById("site-config").textContent);
  var statusLine = document.getElementById("status");
  var byDate = document.getElementById("by-date");
  var nearResults = document.getElementById("near-results");
  var nearestList = document.getElementById("nearest");
  var remoteList = document.getElementById("remote");
  var searchBox = document.getElementById("near");
  var FILTERS = ["date", "format", "type", "region", "audience"];
  var FORMAT_NAMES = { "face-to-face": "Face-to-face", online: "Online", phone: "Phone" };
  var KM_PER_MILE = 1.609344;

  var events = [];  // in list order
  var byId = {};
  var map = null;
  var cluster = null;
  var searchIndex = null;
  var openId = "";
  var serial = 0;

  function inlineJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function loadJson(id, address) {
    var inline = inlineJson(id);
    if (inline) { return Promise.resolve(inline); }
    return fetch(address).then(function (response) {
      if (!response.ok) { throw new Error(address + ": " + response.status); }
      return response.json();
    });
  }

  function say(text) { statusLine.textContent = text; }

  function textNode(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    node.textContent = text;
    return node;
  }

  function addChoice(select, value, label) {
    var option = document.createElement("option");
    option.value = value;
    option.textContent = label;
    select.appendChild(option);
  }

  function distinct(values) {
    var seen = {};
    return values.filter(function (value) {
      if (!value || seen[value]) { return false; }
      seen[value] = true;
      return true;
    }).sort(function (a, b) { return a.localeCompare(b, "en-GB"); });
  }

  function fillChoices() {
    var dates = distinct(events.map(function (e) { return e.data.date; }));
    dates.forEach(function (date) {
      var heading = document.querySelector('section.day[data-date="' + date + '"] h3');
      addChoice(filter("date"), date, heading ? heading.textContent : date);
    });
    Object.keys(FORMAT_NAMES).forEach(function (name) {
      if (events.some(function (e) { return e.data.formats.indexOf(name) >= 0; })) {
        addChoice(filter("format"), name, FORMAT_NAMES[name]);
      }
    });
    distinct(events.map(function (e) { return e.data.type; })).forEach(function (type) {
      addChoice(filter("type"), type, type);
    });
    distinct(events.map(function (e) { return e.data.region; })).forEach(function (region) {
      addChoice(filter("region"), region, region);
    });
  }

  function filter(name) { return document.getElementById("filter-" + name); }

  // --- the map ---

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function isWebLink(url) { return /^https?:\/\//i.test(url || ""); }

  var pins = {};  // one icon for each format, shared by its markers

  function pinIcon(data) {
    var first = data.formats[0] || "face-to-face";
    if (!pins[first]) {
      pins[first] = L.divIcon({ className: "pin pin-" + first, iconSize: L.point(18, 18) });
    }
    return pins[first];
  }

  function makeMap() {
    map = L.map("map", {
      gestureHandling: window.self !== window.top,  // embedded: do not take the page's scroll
      zoomSnap: 0.5,
      fadeAnimation: false,  // an event opens at full contrast at once, not fading in
      minZoom: 4,  // the UK and its neighbours: fewer zoom levels for the clusters to build
      maxZoom: config.maxZoom || 18
    });
    if (config.tiles) {
      var credit = escapeHtml(config.attribution || "");
      if (isWebLink(config.attributionUrl)) {
        credit = '<a href="' + escapeHtml(config.attributionUrl) + '">' + credit + "</a>";
      }
      L.tileLayer(config.tiles, { maxZoom: config.maxZoom, attribution: credit }).addTo(map);
    } else if (config.outline) {
      L.imageOverlay(config.outline.image, config.outline.bounds, { alt: "" }).addTo(map);
    }
    cluster = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 50,
      chunkedLoading: true,
      chunkDelay: 0,
      iconCreateFunction: function (group) {
        var count = group.getChildCount();  // a number: safe to put in markup
        return L.divIcon({
          html: "<span>" + count + '</span><span class="visually-hidden"> events</span>',
          className: "cluster",
          iconSize: L.point(40, 40)
        });
      }
    });
    map.addLayer(cluster);
    events.forEach(function (entry) {
      var data = entry.data;
      if (typeof data.lat !== "number") { return; }
      entry.marker = L.marker([data.lat, data.lon], {
        icon: pinIcon(data),
        title: data.title,
        alt: data.title
      });
      entry.marker.eventId = data.id;
      entry.marker.on("click", function () { showEvent(data.id, true); });
    });
  }

  function drawMarkers(shown, done) {
    cluster.clearLayers();
    var markers = shown.filter(function (e) { return e.marker; }).map(function (e) {
      return e.marker;
    });
    if (!markers.length) { done(); return; }
    cluster.options.chunkProgress = function (processed, total) {
      // Called just before the group finishes its last chunk: carry on once it has.
      if (processed >= total) { cluster.options.chunkProgress = null; setTimeout(done, 0); }
    };
    cluster.addLayers(markers);
  }

  function frame(shown, point) {
    var placed = shown.filter(function (e) { return e.marker; });
    if (point) {
      var near = [point].concat(placed.slice(0, 5).map(function (e) {
        return [e.data.lat, e.data.lon];
      }));
      map.fitBounds(L.latLngBounds(near), { padding: [30, 30], maxZoom: 13, animate: false });
    } else if (placed.length) {
      map.fitBounds(L.latLngBounds(placed.map(function (e) {
        return [e.data.lat, e.data.lon];
      })), { padding: [20, 20], maxZoom: 13, animate: false });
    } else {
      map.setView([54.5, -3], 5, { animate: false });
    }
  }

  function showEvent(id, fromMap, then) {
    var entry = byId[id];
    then = then || function () {};
    if (!entry) { then(); return; }
    if (openId && byId[openId]) { byId[openId].item.classList.remove("is-open"); }
    openId = id;
    entry.item.classList.add("is-open");
    if (fromMap) {
      entry.item.scrollIntoView({ block: "nearest" });
      if (location.hash !== "#" + id) { history.pushState(null, "", "#" + id); }
    }
    if (!entry.marker || !cluster.hasLayer(entry.marker)) { then(); return; }
    // The popup opens at the event's place even while its pin is inside a cluster (several
    // events at one hall), so it never waits on an animation.
    if (!fromMap) {
      map.setView(entry.marker.getLatLng(), Math.max(map.getZoom(), 12), { animate: false });
    }
    var content = entry.item.querySelector("article").cloneNode(true);
    L.popup({ maxWidth: 320, autoPanPadding: [20, 20], offset: [0, -4] })
      .setLatLng(entry.marker.getLatLng())
      .setContent(content)
      .openOn(map);
    then();
  }

  // --- search ---

  function searchKey(text) {
    return text.toLowerCase().replace(/&/g, " and ").replace(/[^0-9a-z]+/g, " ").trim();
  }

  function lookUp(text) {
    var typed = text.trim();
    var coordinates = /^(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)$/.exec(typed);
    if (coordinates) {
      return { point: [Number(coordinates[1]), Number(coordinates[2])], label: "your location" };
    }
    var compact = typed.toUpperCase().replace(/\s+/g, "");
    var postcode = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9])[A-Z]{2}$/.exec(compact);
    if (postcode) {
      var sector = searchIndex.sectors[postcode[1] + postcode[2]];
      var district = searchIndex.districts[postcode[1]];
      if (sector || district) {
        return { point: sector || district, label: postcode[1] + " " + compact.slice(-3) };
      }
    }
    if (searchIndex.districts[compact]) {
      return { point: searchIndex.districts[compact], label: compact };
    }
    var key = searchKey(typed);
    var named = searchIndex.places[key] || searchIndex.councils[key];
    if (!named && /\bcouncil$/.test(key)) {
      named = searchIndex.councils[key.replace(/\s*(city|county|borough|district)?\s*council$/, "")];
    }
    if (named) { return { point: [named[0], named[1]], label: named[2] }; }
    return null;
  }

  function distanceKm(a, b) {
    var rad = Math.PI / 180;
    var dLat = (b[0] - a[0]) * rad;
    var dLon = (b[1] - a[1]) * rad;
    var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function distanceText(km) {
    var miles = km / KM_PER_MILE;
    return (miles < 10 ? miles.toFixed(1) : Math.round(miles)) + " miles away";
  }

  function isRemoteOnly(data) {
    return data.formats.length > 0 && data.formats.indexOf("face-to-face") < 0;
  }

  // --- what the address says, and showing it ---

  function stateFromAddress() {
    var query = new URLSearchParams(location.search);
    var state = { near: query.get("near") || "", open: decodeURIComponent(location.hash.slice(1)) };
    FILTERS.forEach(function (name) { state[name] = query.get(name) || ""; });
    return state;
  }

  function stateFromForm() {
    var state = { near: searchBox.value.trim(), open: "" };
    FILTERS.forEach(function (name) { state[name] = filter(name).value.trim(); });
    return state;
  }

  function addressOf(state) {
    var query = new URLSearchParams();
    if (state.near) { query.set("near", state.near); }
    FILTERS.forEach(function (name) { if (state[name]) { query.set(name, state[name]); } });
    var search = query.toString();
    return location.pathname + (search ? "?" + search : "") + (state.open ? "#" + state.open : "");
  }

  function passes(data, state) {
    if (state.date && data.date !== state.date) { return false; }
    if (state.format && data.formats.indexOf(state.format) < 0) { return false; }
    if (state.type && data.type !== state.type) { return false; }
    if (state.region && data.region !== state.region) { return false; }
    if (state.audience &&
      data.audience.toLowerCase().indexOf(state.audience.toLowerCase()) < 0) { return false; }
    return true;
  }

  var moved = false;  // whether a search has moved events out of their days

  function putBack() {
    if (!moved) { return; }
    events.forEach(function (entry) {
      if (entry.distance) { entry.distance.remove(); entry.distance = null; }
      entry.home.appendChild(entry.item);  // in list order, so each day keeps its order
    });
    moved = false;
  }

  function setControls(state) {
    searchBox.value = state.near;
    FILTERS.forEach(function (name) {
      var control = filter(name);
      control.value = state[name];
      if (control.tagName === "SELECT" && control.value !== state[name]) { control.value = ""; }
    });
  }

  function show(state) {
    var mine = ++serial;
    root.dataset.ready = "no";
    setControls(state);
    var needIndex = state.near && !searchIndex;
    var ready = needIndex ? loadJson("site-search", config.search).then(function (index) {
      searchIndex = index;
    }) : Promise.resolve();
    ready.catch(function () {
      say("Search is not available just now; the list shows every event.");
    }).then(function () {
      if (mine !== serial) { return; }
      var found = state.near && searchIndex ? lookUp(state.near) : null;
      var shown = events.filter(function (e) { return passes(e.data, state); });
      putBack();
      var visible = {};
      shown.forEach(function (e) { visible[e.data.id] = true; });
      events.forEach(function (e) {
        var hide = !visible[e.data.id];
        if (e.item.hidden !== hide) { e.item.hidden = hide; }  // touch only what changes
      });
      var message = "Showing " + shown.length + " of " + events.length + " events";
      if (found) {
        shown = nearFirst(shown, found.point);
        message += ", nearest to " + found.label + " first";
      } else if (state.near && searchIndex) {
        message = "We could not find \u201c" + state.near + "\u201d: try a full postcode, " +
          "the first half of one (such as LS1), a town or a council. " + message;
      }
      nearResults.hidden = !found;
      byDate.hidden = Boolean(found);
      document.querySelectorAll("section.day").forEach(function (day) {
        day.hidden = !day.querySelector("li.event:not([hidden])");
      });
      say(message + ".");
      frame(shown, found ? found.point : null);
      performance.mark("list-filtered");
      drawMarkers(shown, function () {
        if (mine !== serial) { return; }
        if (state.open && byId[state.open]) { byId[state.open].item.scrollIntoView(); }
        showEvent(state.open, false, function () {
          if (mine !== serial) { return; }
          root.dataset.ready = "yes";
          if (!performance.getEntriesByName("map-ready").length) { performance.mark("map-ready"); }
        });
      });
    });
  }

  // Near a point: events people can go to, nearest first, then online and phone events from
  // councils nearby in their own group. Returns the events in that order.
  function nearFirst(shown, point) {
    var placed = shown.filter(function (e) { return e.marker; });
    placed.forEach(function (e) { e.km = distanceKm(point, [e.data.lat, e.data.lon]); });
    placed.sort(function (a, b) { return a.km - b.km; });
    var inPerson = placed.filter(function (e) { return !isRemoteOnly(e.data); });
    var remote = placed.filter(function (e) {
      return isRemoteOnly(e.data) && e.km <= config.nearbyKm;
    });
    placed.forEach(function (e) { if (isRemoteOnly(e.data) && e.km > config.nearbyKm) { e.item.hidden = true; } });
    inPerson.forEach(function (e) { addDistance(e, nearestList); });
    remote.forEach(function (e) { addDistance(e, remoteList); });
    document.getElementById("remote-heading").hidden = !remote.length;
    return inPerson.concat(remote);
  }

  function addDistance(entry, list) {
    moved = true;
    entry.distance = textNode("p", "distance", distanceText(entry.km));
    entry.item.querySelector("article").insertBefore(
      entry.distance, entry.item.querySelector("article").firstChild.nextSibling);
    list.appendChild(entry.item);
  }

  function go(state) {
    history.pushState(null, "", addressOf(state));
    show(state);
  }

  // --- a calendar file for one event ---

  function icsText(value) {
    return String(value).replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,")
      .replace(/\r\n|\r|\n/g, "\\n");
  }

  function fold(line) {
    var encoder = new TextEncoder();
    var out = "";
    var length = 0;
    Array.from(line).forEach(function (character) {
      var size = encoder.encode(character).length;
      if (length + size > 74) { out += "\r\n "; length = 1; }
      out += character;
      length += size;
    });
    return out;
  }

  function textOf(item, selector) {
    var node = item.querySelector(selector);
    return node ? node.textContent.trim() : "";
  }

  function calendarFile(data, item) {
    var c = data.calendar;
    var link = item.querySelector(".actions a[rel]");
    var details = [textOf(item, ".when"), textOf(item, "dd.format"), textOf(item, ".description"),
      link ? link.href : ""].filter(Boolean).join("\n");
    var where = item.querySelector("dd.where") ? item.querySelector("dd.where").firstChild : null;
    var stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
    var time = function (name, value) {
      return value.length === 8 ? name + ";VALUE=DATE:" + value : name + ":" + value;
    };
    var lines = [
      "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//smwsync//live map//EN", "METHOD:PUBLISH",
      "BEGIN:VEVENT", "UID:" + c.uid, "DTSTAMP:" + stamp, time("DTSTART", c.start)
    ];
    if (c.end) { lines.push(time("DTEND", c.end)); }
    lines.push("SUMMARY:" + icsText(data.title));
    if (where && where.textContent) { lines.push("LOCATION:" + icsText(where.textContent.trim())); }
    if (details) { lines.push("DESCRIPTION:" + icsText(details)); }
    lines.push("END:VEVENT", "END:VCALENDAR");
    return lines.map(fold).join("\r\n") + "\r\n";
  }

  function download(data, item) {
    var file = new Blob([calendarFile(data, item)], { type: "text/calendar;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(file);
    link.download = data.id + ".ics";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 0);
  }

  // --- starting up ---

  function start(data) {
    performance.mark("data-read");
    data.events.forEach(function (record) {
      var item = document.getElementById(record.id);
      if (!item) { return; }  // a page and data from different syncs: keep what matches
      var entry = { data: record, item: item, home: item.parentNode, marker: null };
      events.push(entry);
      byId[record.id] = entry;
    });
    fillChoices();
    makeMap();
    performance.mark("map-made");

    document.getElementById("search").addEventListener("submit", function (submitted) {
      submitted.preventDefault();
      var state = stateFromForm();
      go(state);
    });
    document.getElementById("filters").addEventListener("change", function () {
      go(stateFromForm());
    });
    document.getElementById("filters").addEventListener("submit", function (submitted) {
      submitted.preventDefault();
      go(stateFromForm());
    });
    document.getElementById("clear").addEventListener("click", function () {
      go({ near: "", open: "", date: "", format: "", type: "", region: "", audience: "" });
    });
    document.getElementById("near-me").addEventListener("click", function () {
      if (!navigator.geolocation) { say("Your browser cannot tell this page where you are."); return; }
      say("Asking your browser where you are\u2026");
      navigator.geolocation.getCurrentPosition(function (position) {
        searchBox.value = position.coords.latitude.toFixed(3) + "," +
          position.coords.longitude.toFixed(3);
        go(stateFromForm());
      }, function () {
        say("Your browser did not share your location: type a postcode or town instead.");
      }, { timeout: 10000, maximumAge: 600000 });
    });
    document.addEventListener("click", function (clicked) {
      var button = clicked.target.closest("button[data-id]");
      if (!button || !byId[button.dataset.id]) { return; }
      var entry = byId[button.dataset.id];
      if (button.classList.contains("add-to-calendar")) { download(entry.data, entry.item); }
      if (button.classList.contains("show-on-map")) {
        history.pushState(null, "", addressOf(Object.assign(stateFromForm(),
          { open: button.dataset.id })));
        showEvent(button.dataset.id, false);
        document.getElementById("map").scrollIntoView({ block: "nearest" });
      }
    });
    // Also fired when a "Link to this event" (#id) is followed.
    window.addEventListener("popstate", function () { show(stateFromAddress()); });
    show(stateFromAddress());
  }

  loadJson("site-data", config.events).then(start).catch(function (error) {
    say("The map could not be drawn just now; the list below shows every event.");
    root.dataset.ready = "failed";
    if (window.console) { console.warn(error); }
  });
})();
