/* Small helpers shared by the pages that draw ECharts charts. No inline script: the CSP forbids it. */
(function () {
  "use strict";

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  /* Amounts in currency units; `wholeUnits` drops the cents (axis labels). */
  function moneyFormatter(currency, wholeUnits) {
    var lang = document.documentElement.lang || undefined;
    var options = { style: "currency", currency: currency };
    if (wholeUnits) { options.minimumFractionDigits = 0; options.maximumFractionDigits = 0; }
    var format = new Intl.NumberFormat(lang, options);
    return function (value) { return format.format(Number(value)); };
  }

  /* ISO days ("2025-06-30") to short ("Jun 30") or, with `long`, full ("Monday, June 30, 2025"). */
  function dayFormatter(long) {
    var lang = document.documentElement.lang || undefined;
    var options = long
      ? { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }
      : { day: "numeric", month: "short", timeZone: "UTC" };
    var format = new Intl.DateTimeFormat(lang, options);
    return function (isoDay) { return format.format(new Date(isoDay + "T00:00:00Z")); };
  }

  function escapeHtml(text) {
    var element = document.createElement("span");
    element.textContent = String(text);
    return element.innerHTML;
  }

  /* Draw a chart in `element`, resize it with the window, and return it. */
  function mount(element, option) {
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  window.HuntazeCharts = {
    readJson: readJson,
    cssVar: cssVar,
    moneyFormatter: moneyFormatter,
    dayFormatter: dayFormatter,
    escapeHtml: escapeHtml,
    mount: mount,
  };
})();
