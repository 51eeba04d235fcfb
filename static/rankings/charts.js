// An indicator's page: our rank over time (axis inverted, the rule's band shaded) and all counties in one bar chart.
(function () {
  const data = document.getElementById("rank-data");
  if (!data || !window.echarts) return;
  const d = JSON.parse(data.textContent);
  const rankNode = document.getElementById("rank-chart");
  if (rankNode) {
    const chart = window.echarts.init(rankNode, null, { renderer: "svg" });
    const n = Math.max(d.n, ...d.periods.map(function (p) { return p.n || 0; }), 1);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 20, top: 20, bottom: 40 },
      xAxis: { type: "category", data: d.periods.map(function (p) { return p.period; }) },
      yAxis: { type: "value", inverse: true, min: 1, max: n, minInterval: 1, name: "位次" },
      series: [{
        name: "本县位次", type: "line", data: d.periods.map(function (p) { return p.rank; }), connectNulls: false,
        itemStyle: { color: "#b4281e" }, label: { show: true, formatter: "{c}" },
        markArea: d.threshold ? { itemStyle: { color: "rgba(46,157,72,0.12)" }, data: [[{ yAxis: 1, name: "目标区间" }, { yAxis: d.threshold }]] } : undefined,
      }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  const barNode = document.getElementById("county-chart");
  if (barNode) {
    const chart = window.echarts.init(barNode, null, { renderer: "svg" });
    const rows = d.bars.filter(function (b) { return b.value !== null; });
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 10, right: 40, top: 10, bottom: 30, containLabel: true },
      xAxis: { type: "value", name: d.measure, nameLocation: "middle", nameGap: 24 },
      yAxis: { type: "category", inverse: true, data: rows.map(function (b) { return b.rank + ". " + b.county; }) },
      series: [{
        type: "bar", name: d.basis, label: { show: true, position: "right" },
        data: rows.map(function (b) { return { value: b.value, itemStyle: { color: b.ours ? "#b4281e" : "#8aa4c8" } }; }),
      }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
})();
