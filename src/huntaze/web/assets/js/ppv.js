/* The PPV page: money in the creator's currency, the revenue / buy rate chart, the sending
   progress of PPVs being sent, the price suggestion button, uploads to the vault, the fan
   filter, and the scheduled time sent with its time zone. Data comes from json_script. */
(function () {
  "use strict";

  var charts = window.HuntazeCharts;
  var currencyElement = document.getElementById("ppv-currency");
  var currency = currencyElement ? JSON.parse(currencyElement.textContent) : "USD";
  var POLL_MS = 2000;

  function money(cents) {
    var lang = document.documentElement.lang || undefined;
    return new Intl.NumberFormat(lang, { style: "currency", currency: currency }).format(cents / 100);
  }

  function showMoney(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-money]"), function (element) {
      element.textContent = money(Number(element.dataset.money));
    });
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Chart ------------------------------------------------------------------------------------------

  function drawChart() {
    var element = document.getElementById("ppv-chart");
    if (!element || !charts || !window.echarts) { return; }
    var data = charts.readJson("ppv-chart-data");
    var format = charts.moneyFormatter(currency, true);
    charts.mount(element, {
      tooltip: { trigger: "axis" },
      legend: { data: [data.labels.revenue, data.labels.buy_rate] },
      grid: { left: 56, right: 48, bottom: 64, top: 40 },
      xAxis: { type: "category", data: data.titles, axisLabel: { rotate: 30, width: 90, overflow: "truncate" } },
      yAxis: [
        { type: "value", axisLabel: { formatter: format } },
        { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      ],
      series: [
        { name: data.labels.revenue, type: "bar", data: data.revenue,
          itemStyle: { color: charts.cssVar("--pico-primary", "#1095c1") } },
        { name: data.labels.buy_rate, type: "line", yAxisIndex: 1, data: data.buy_rate },
      ],
    });
  }

  // Progress of PPVs being sent --------------------------------------------------------------------

  function pollProgress() {
    var rows = document.querySelectorAll("tr[data-sending=true]");
    if (!rows.length) { return; }
    var pending = Array.prototype.map.call(rows, function (row) {
      return fetch("/api/v1/ppv/" + row.dataset.ppvId, {
        credentials: "same-origin", headers: { "Accept": "application/json" },
      }).then(function (response) { return response.ok ? response.json() : null; }).then(function (ppv) {
        if (!ppv) { return; }
        var bar = row.querySelector(".ppv-progress");
        var label = row.querySelector(".ppv-progress-text");
        if (bar) { bar.max = Math.max(ppv.target_count, 1); bar.value = ppv.progress_done; }
        if (label) { label.textContent = ppv.progress_done + " / " + ppv.target_count; }
        row.querySelector(".ppv-sent").textContent = String(ppv.sent_count);
        if (ppv.status !== "active") { row.removeAttribute("data-sending"); window.location.reload(); }
      });
    });
    Promise.all(pending).finally(function () { setTimeout(pollProgress, POLL_MS); });
  }

  // The form ---------------------------------------------------------------------------------------

  function useSuggestion() {
    var box = document.getElementById("ppv-suggestion");
    if (!box) { return; }
    box.addEventListener("click", function (event) {
      var button = event.target.closest("#ppv-use-suggestion");
      if (button) { document.getElementById("ppv-price").value = button.dataset.price; }
    });
  }

  /* The suggestion for the chosen segment (or all fans), from the pricing model. */
  function refreshSuggestion(segmentId) {
    var box = document.getElementById("ppv-suggestion");
    var url = "/api/v1/ppv-price-suggestion" + (segmentId ? "?segment_id=" + segmentId : "");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (found) {
        if (!found) { return; }
        box.textContent = "";
        if (found.price_cents === null) {
          box.textContent = found.reason === "not_enough_data" ? box.dataset.notEnough : box.dataset.unavailable;
          return;
        }
        var dollars = (found.price_cents / 100).toFixed(2);
        box.appendChild(document.createTextNode(box.dataset.label + " "));
        var strong = document.createElement("strong");
        strong.textContent = money(found.price_cents);
        box.appendChild(strong);
        var button = document.createElement("button");
        button.type = "button";
        button.className = "secondary outline";
        button.id = "ppv-use-suggestion";
        button.dataset.price = dollars;
        button.textContent = box.dataset.use;
        box.appendChild(document.createTextNode(" "));
        box.appendChild(button);
        if (found.explanation) {
          box.appendChild(document.createElement("br"));
          var small = document.createElement("small");
          small.textContent = found.explanation;
          box.appendChild(small);
        }
      });
  }

  function segmentSuggestion() {
    var select = document.getElementById("ppv-segment");
    if (!select) { return; }
    select.addEventListener("change", function () { refreshSuggestion(select.value); });
    Array.prototype.forEach.call(document.querySelectorAll("input[name=audience]"), function (radio) {
      radio.addEventListener("change", function () {
        refreshSuggestion(radio.value === "segment" ? select.value : "");
      });
    });
  }

  function mediaTile(item) {
    var label = document.createElement("label");
    label.htmlFor = "ppv-media-" + item.id;
    if (item.kind === "image") {
      var img = document.createElement("img");
      img.src = item.thumbnail_url || item.file_url;
      img.alt = "";
      label.appendChild(img);
    } else {
      var icon = document.createElement("span");
      icon.className = "vault-icon";
      icon.textContent = item.kind === "video" ? "▶" : "♪";
      label.appendChild(icon);
    }
    var line = document.createElement("span");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.id = "ppv-media-" + item.id;
    box.name = "media_ids";
    box.value = String(item.id);
    box.checked = true;
    line.appendChild(box);
    line.appendChild(document.createTextNode(" " + (item.title || item.id)));
    label.appendChild(line);
    return label;
  }

  function uploads() {
    var input = document.getElementById("ppv-upload");
    if (!input) { return; }
    var status = document.getElementById("ppv-upload-status");
    var grid = document.getElementById("ppv-media-grid");
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) { return; }
      var form = new FormData();
      form.append("file", file);
      form.append("title", file.name);
      status.textContent = "…";
      fetch("/api/v1/vault/media", {
        method: "POST", credentials: "same-origin", body: form,
        headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
      }).then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) { throw data; }
          return data;
        });
      }).then(function (item) {
        var empty = document.getElementById("ppv-vault-empty");
        if (empty) { empty.remove(); }
        grid.insertBefore(mediaTile(item), grid.firstChild);
        status.textContent = "✓ " + item.title;
      }).catch(function (body) {
        var fields = (body && body.field_errors) || {};
        status.textContent = (fields.file || []).join(" ") || (body && body.message) || "!";
      }).finally(function () { input.value = ""; });
    });
  }

  function fanFilter() {
    var filter = document.getElementById("ppv-fan-filter");
    if (!filter) { return; }
    filter.addEventListener("input", function () {
      var query = filter.value.trim().toLowerCase();
      Array.prototype.forEach.call(document.querySelectorAll("#ppv-fans label"), function (label) {
        label.hidden = Boolean(query) && label.textContent.toLowerCase().indexOf(query) === -1;
      });
    });
  }

  function audienceToggle() {
    var fansBox = document.getElementById("ppv-fans-box");
    var segmentBox = document.getElementById("ppv-segment-box");
    function apply() {
      var checked = document.querySelector("input[name=audience]:checked");
      var isSegment = checked && checked.value === "segment";
      if (fansBox) { fansBox.hidden = Boolean(isSegment); }
      if (segmentBox) { segmentBox.hidden = !isSegment; }
    }
    Array.prototype.forEach.call(document.querySelectorAll("input[name=audience]"), function (radio) {
      radio.addEventListener("change", apply);
    });
    apply();
  }

  function scheduleWithZone() {
    var form = document.getElementById("ppv-form");
    if (!form) { return; }
    var local = document.getElementById("ppv-scheduled");
    local.addEventListener("input", function () { document.getElementById("ppv-when-later").checked = true; });
    form.addEventListener("submit", function () {
      var iso = document.getElementById("ppv-scheduled-iso");
      iso.value = local.value ? new Date(local.value).toISOString() : "";
    });
  }

  function start() {
    showMoney(document);
    drawChart();
    useSuggestion();
    segmentSuggestion();
    uploads();
    fanFilter();
    audienceToggle();
    scheduleWithZone();
    setTimeout(pollProgress, POLL_MS);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
