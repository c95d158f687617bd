/* The fan profile's spend chart: monthly spend, stacked by type of purchase (ECharts). */
(function () {
  "use strict";

  function draw() {
    var element = document.getElementById("fan-spend-chart");
    var charts = window.HuntazeCharts;
    if (!element || !charts || !window.echarts) { return; }
    var data = charts.readJson("fan-spend-data");
    var format = charts.moneyFormatter(data.currency, false);
    var axisFormat = charts.moneyFormatter(data.currency, true);
    var lang = document.documentElement.lang || undefined;
    var monthFormat = new Intl.DateTimeFormat(lang, { month: "short", year: "2-digit", timeZone: "UTC" });
    var months = data.months.map(function (key) { return monthFormat.format(new Date(key + "-01T00:00:00Z")); });
    charts.mount(element, {
      tooltip: {
        trigger: "axis",
        valueFormatter: function (value) { return format(value); },
      },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: months },
      yAxis: { type: "value", axisLabel: { formatter: function (value) { return axisFormat(value); } } },
      series: data.series.map(function (serie) {
        return {
          name: serie.name,
          type: "bar",
          stack: "spend",
          data: serie.cents.map(function (cents) { return cents / 100; }),
        };
      }),
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
