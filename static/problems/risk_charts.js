// The risk register: a likelihood × impact heat map, and a risk's score across its reviews (ECharts, vendored).
(function () {
  if (!window.echarts) return;
  const heatNode = document.getElementById("heat-chart");
  const heatData = document.getElementById("heat-data");
  if (heatNode && heatData) {
    const cells = JSON.parse(heatData.textContent).map(function (c) { return [c[0] - 1, c[1] - 1, c[2]]; });
    const max = cells.reduce(function (m, c) { return Math.max(m, c[2]); }, 1);
    const chart = window.echarts.init(heatNode, null, { renderer: "svg" });
    chart.setOption({
      title: { text: "风险热力图", left: "center", textStyle: { fontSize: 15 } },
      tooltip: { formatter: function (p) { return "可能性 " + (p.value[0] + 1) + " × 影响 " + (p.value[1] + 1) + ":" + p.value[2] + " 项"; } },
      grid: { left: 50, right: 10, top: 40, bottom: 70 },
      xAxis: { type: "category", name: "可能性", data: ["1", "2", "3", "4", "5"] },
      yAxis: { type: "category", name: "影响", data: ["1", "2", "3", "4", "5"] },
      visualMap: { min: 0, max: max, calculable: false, orient: "horizontal", left: "center", bottom: 0,
        inRange: { color: ["#fff3cd", "#f2b100", "#d9342b"] } },
      series: [{ type: "heatmap", data: cells, label: { show: true } }],
    });
    chart.on("click", function (p) {
      const params = new URLSearchParams(window.location.search);
      params.set("cell", (p.value[0] + 1) + "," + (p.value[1] + 1));
      params.delete("page");
      window.location.search = params.toString();
    });
  }
  const trendNode = document.getElementById("trend-chart");
  const trendData = document.getElementById("trend-data");
  if (trendNode && trendData) {
    const data = JSON.parse(trendData.textContent);
    window.echarts.init(trendNode, null, { renderer: "svg" }).setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 20, top: 20, bottom: 30 },
      xAxis: { type: "category", data: data.days },
      yAxis: { type: "value", min: 0, max: 25, name: "风险值" },
      series: [{ type: "line", data: data.scores, label: { show: true } }],
    });
  }
})();
