// The meeting pack: a stacked bar of red, yellow and green tasks per unit (ECharts, vendored).
(function () {
  const node = document.getElementById("lights-chart");
  const data = document.getElementById("lights-data");
  if (!node || !data || !window.echarts) return;
  const rows = JSON.parse(data.textContent).slice().reverse();
  const shown = 25;
  node.style.height = Math.max(320, Math.min(rows.length, shown) * 26 + 90) + "px";
  const chart = window.echarts.init(node, null, { renderer: "svg" });
  const series = [
    ["red", "红灯", "#d9342b"],
    ["yellow", "黄灯", "#f2b100"],
    ["green", "绿灯", "#2e9d48"],
  ].map(function (item) {
    return {
      name: item[1], type: "bar", stack: "lights", itemStyle: { color: item[2] },
      data: rows.map(function (row) { return row[item[0]]; }),
    };
  });
  const option = {
    title: { text: "各单位督办事项红黄绿灯情况", left: "center", textStyle: { fontSize: 15 } },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { bottom: 0 },
    grid: { left: 10, right: 30, top: 40, bottom: 40, containLabel: true },
    xAxis: { type: "value", minInterval: 1, name: "事项数" },
    yAxis: { type: "category", data: rows.map(function (row) { return row.unit; }) },
    series: series,
  };
  if (rows.length > shown) {
    option.dataZoom = [{ type: "slider", yAxisIndex: 0, right: 0, startValue: rows.length - shown, endValue: rows.length - 1 }];
  }
  chart.setOption(option);
  window.addEventListener("resize", function () { chart.resize(); });
})();
