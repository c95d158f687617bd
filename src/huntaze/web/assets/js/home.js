/* Home: the revenue per day chart. Data comes from the json_script "revenue-chart-data". */
(function () {
  "use strict";

  function draw() {
    var charts = window.HuntazeCharts;
    var element = document.getElementById("revenue-chart");
    var data = charts && charts.readJson("revenue-chart-data");
    if (!element || !data || !window.echarts) { return; }
    var money = charts.moneyFormatter(data.currency);
    var moneyAxis = charts.moneyFormatter(data.currency, true);
    var day = charts.dayFormatter();
    var longDay = charts.dayFormatter(true);
    var primary = charts.cssVar("--pico-primary", "#1095c1");
    var muted = charts.cssVar("--pico-muted-color", "#646b79");
    charts.mount(element, {
      animation: false,
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: function (points) {
          var point = points[0];
          return charts.escapeHtml(longDay(point.axisValue)) + "<br>" + point.marker +
            charts.escapeHtml(point.seriesName) + " <strong>" + charts.escapeHtml(money(point.value)) +
            "</strong>";
        },
      },
      xAxis: {
        type: "category",
        data: data.days,
        axisLabel: { formatter: day, color: muted, hideOverlap: true },
        axisTick: { alignWithLabel: true },
      },
      yAxis: {
        type: "value",
        axisLabel: { formatter: moneyAxis, color: muted },
        splitLine: { lineStyle: { opacity: 0.4 } },
      },
      series: [{
        name: data.series_name,
        type: "bar",
        data: data.amounts.map(Number),
        itemStyle: { color: primary, borderRadius: [3, 3, 0, 0] },
        barMaxWidth: 18,
      }],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
