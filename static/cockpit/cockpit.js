// The cockpit's trend: red, yellow and green at the end of each of the past 12 weeks (ECharts, vendored).
(function () {
  const node = document.getElementById("trend-chart");
  const data = document.getElementById("trend-data");
  if (!node || !data || !window.echarts) return;
  const rows = JSON.parse(data.textContent);
  const chart = window.echarts.init(node, null, { renderer: "svg" });
  const series = [
    ["red", "红灯", "#d9342b"],
    ["yellow", "黄灯", "#f2b100"],
    ["green", "绿灯", "#2e9d48"],
  ].map(function (item) {
    return { name: item[1], type: "line", itemStyle: { color: item[2] }, data: rows.map(function (row) { return row[item[0]]; }) };
  });
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { bottom: 0 },
    grid: { left: 8, right: 12, top: 16, bottom: 36, containLabel: true },
    xAxis: { type: "category", data: rows.map(function (row) { return row.day.slice(5); }) },
    yAxis: { type: "value", minInterval: 1 },
    series: series,
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
