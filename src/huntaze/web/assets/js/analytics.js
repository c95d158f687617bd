/* Analytics pages: draws every chart described in the json_script "analytics-charts".
   A chart: {id, title, type: bar|stacked_bar|mixed|hbar|pie|funnel|heatmap, x, series:[{name,
   values, kind?, axis?}], money?, currency?, x_kind?: "day", y? (heatmap rows)}. */
(function () {
  "use strict";

  var PALETTE = ["#1095c1", "#e07a5f", "#81b29a", "#f2cc8f", "#6d597a", "#3d405b", "#b56576"];

  function formatters(charts, spec) {
    var value = spec.money ? charts.moneyFormatter(spec.currency) : function (v) {
      return Number(v).toLocaleString(document.documentElement.lang || undefined);
    };
    var axis = spec.money ? charts.moneyFormatter(spec.currency, true) : value;
    return { value: value, axis: axis };
  }

  function axisTooltip(charts, spec, format) {
    var longDay = charts.dayFormatter(true);
    return function (points) {
      var head = spec.x_kind === "day" ? longDay(points[0].axisValue) : points[0].axisValue;
      return charts.escapeHtml(head) + points.map(function (point) {
        if (point.value === null || point.value === undefined) { return ""; }
        return "<br>" + point.marker + charts.escapeHtml(point.seriesName) + " <strong>" +
          charts.escapeHtml(format.value(point.value)) + "</strong>";
      }).join("");
    };
  }

  function numberOrNull(value) { return value === null ? null : Number(value); }

  /* History and forecast lines, and the interval as a band: the low bound stacked with the
     height of the interval (series 2 and 3 are low and high). */
  function forecast(charts, spec, muted) {
    var option = cartesian(charts, { type: "line", money: spec.money, currency: spec.currency,
      x_kind: spec.x_kind, x: spec.x, series: spec.series.slice(0, 2) }, muted);
    var low = spec.series[2].values.map(numberOrNull);
    var high = spec.series[3].values.map(numberOrNull);
    option.series[0].type = "line";
    option.series[1].type = "line";
    option.series[1].lineStyle = { type: "dashed" };
    option.series.push({ name: spec.series[2].name, type: "line", stack: "band", data: low,
      lineStyle: { opacity: 0 }, showSymbol: false, tooltip: { show: false } });
    option.series.push({ name: spec.series[3].name, type: "line", stack: "band", showSymbol: false,
      data: high.map(function (value, i) { return value === null ? null : value - low[i]; }),
      lineStyle: { opacity: 0 }, areaStyle: { opacity: 0.2 }, tooltip: { show: false } });
    option.legend = { top: 0, data: [spec.series[0].name, spec.series[1].name], textStyle: { color: muted } };
    var format = formatters(charts, spec);
    var longDay = charts.dayFormatter(true);
    option.tooltip.formatter = function (points) {
      var index = points[0].dataIndex;
      var lines = [charts.escapeHtml(longDay(points[0].axisValue))];
      spec.series.forEach(function (s) {
        var value = s.values[index];
        if (value !== null) { lines.push(charts.escapeHtml(s.name) + " <strong>" + charts.escapeHtml(format.value(value)) + "</strong>"); }
      });
      return lines.join("<br>");
    };
    return option;
  }

  function cartesian(charts, spec, muted) {
    var format = formatters(charts, spec);
    var day = charts.dayFormatter();
    var stacked = spec.type === "stacked_bar";
    var hasSecondAxis = spec.series.some(function (s) { return s.axis === 1; });
    var yAxes = [{ type: "value", axisLabel: { formatter: format.axis, color: muted },
      splitLine: { lineStyle: { opacity: 0.4 } } }];
    if (hasSecondAxis) { yAxes.push({ type: "value", axisLabel: { color: muted }, splitLine: { show: false } }); }
    return {
      color: PALETTE,
      animation: false,
      legend: { top: 0, textStyle: { color: muted } },
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", formatter: axisTooltip(charts, spec, format) },
      xAxis: { type: "category", data: spec.x,
        axisLabel: { formatter: spec.x_kind === "day" ? day : null, color: muted, hideOverlap: true } },
      yAxis: yAxes,
      series: spec.series.map(function (s) {
        return { name: s.name, type: s.kind || "bar", stack: stacked ? "total" : undefined,
          yAxisIndex: s.axis || 0, data: s.values.map(numberOrNull), barMaxWidth: 18, showSymbol: false };
      }),
    };
  }

  function horizontal(charts, spec, muted) {
    var format = formatters(charts, spec);
    return {
      color: PALETTE,
      animation: false,
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: axisTooltip(charts, spec, format) },
      xAxis: { type: "value", axisLabel: { formatter: format.axis, color: muted } },
      yAxis: { type: "category", data: spec.x.slice().reverse(), axisLabel: { color: muted, width: 160, overflow: "truncate" } },
      series: spec.series.map(function (s) {
        return { name: s.name, type: "bar", data: s.values.map(Number).reverse(), barMaxWidth: 14 };
      }),
    };
  }

  function pie(charts, spec, muted) {
    var format = formatters(charts, spec);
    return {
      color: PALETTE,
      animation: false,
      legend: { bottom: 0, textStyle: { color: muted } },
      tooltip: { trigger: "item", formatter: function (item) {
        return item.marker + charts.escapeHtml(item.name) + " <strong>" +
          charts.escapeHtml(format.value(item.value)) + "</strong> (" + item.percent + "%)";
      } },
      series: [{ type: "pie", radius: ["40%", "70%"], top: 0, bottom: 24,
        data: spec.series.map(function (s) { return { name: s.name, value: Number(s.values[0]) }; }) }],
    };
  }

  function funnel(charts, spec) {
    var format = formatters(charts, spec);
    var values = spec.series[0].values.map(Number);
    return {
      color: PALETTE,
      animation: false,
      tooltip: { trigger: "item", formatter: function (item) {
        return charts.escapeHtml(item.name) + " <strong>" + charts.escapeHtml(format.value(item.value)) + "</strong>";
      } },
      series: [{ type: "funnel", sort: "none", left: "10%", width: "80%", minSize: "8%",
        label: { position: "inside", formatter: function (item) { return item.name + ": " + format.value(item.value); } },
        data: spec.x.map(function (name, i) { return { name: name, value: values[i] }; }) }],
    };
  }

  function heatmap(charts, spec, muted) {
    var cells = spec.series[0].values;
    return {
      animation: false,
      grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
      tooltip: { formatter: function (item) {
        return charts.escapeHtml(spec.y[item.value[1]]) + ", +" + item.value[0] + ": <strong>" + item.value[2] + "%</strong>";
      } },
      xAxis: { type: "category", data: spec.x, axisLabel: { color: muted } },
      yAxis: { type: "category", data: spec.y, axisLabel: { color: muted } },
      visualMap: { min: 0, max: 100, orient: "horizontal", left: "center", bottom: 0, calculable: false,
        inRange: { color: ["#f4f8fb", "#1095c1"] }, textStyle: { color: muted } },
      series: [{ name: spec.series[0].name, type: "heatmap", data: cells,
        label: { show: true, formatter: function (item) { return Math.round(item.value[2]); } } }],
    };
  }

  function optionFor(charts, spec, muted) {
    if (spec.type === "pie") { return pie(charts, spec, muted); }
    if (spec.type === "funnel") { return funnel(charts, spec); }
    if (spec.type === "heatmap") { return heatmap(charts, spec, muted); }
    if (spec.type === "hbar") { return horizontal(charts, spec, muted); }
    if (spec.type === "forecast") { return forecast(charts, spec, muted); }
    return cartesian(charts, spec, muted);
  }

  function draw() {
    var charts = window.HuntazeCharts;
    var specs = charts && charts.readJson("analytics-charts");
    if (!specs || !window.echarts) { return; }
    var muted = charts.cssVar("--pico-muted-color", "#646b79");
    specs.forEach(function (spec) {
      var element = document.getElementById(spec.id);
      if (element) { charts.mount(element, optionFor(charts, spec, muted)); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
