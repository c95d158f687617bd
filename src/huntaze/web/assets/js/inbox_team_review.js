/* The team review chart: messages sent and PPV bought (bars), earnings per message (line,
   right axis), per member. Data from json_script; no inline script (CSP). */
(function () {
  "use strict";

  function draw() {
    var element = document.getElementById("review-chart");
    var charts = window.HuntazeCharts;
    if (!element || !charts || !window.echarts) { return; }
    var data = charts.readJson("review-chart-data");
    var currency = charts.readJson("review-currency") || "USD";
    var money = charts.moneyFormatter(currency, false);
    charts.mount(element, {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 64, top: 40, bottom: 32 },
      xAxis: { type: "category", data: data.names },
      yAxis: [
        { type: "value", minInterval: 1 },
        { type: "value", axisLabel: { formatter: charts.moneyFormatter(currency, true) } }
      ],
      series: [
        { name: data.labels.messages_sent, type: "bar", data: data.messages_sent },
        { name: data.labels.ppv_bought, type: "bar", data: data.ppv_bought },
        {
          name: data.labels.earnings_per_message, type: "line", yAxisIndex: 1,
          data: data.earnings_per_message,
          tooltip: { valueFormatter: function (value) { return money(value); } }
        }
      ]
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
