// The project's Gantt (ECharts, vendored): planned bars, latest windows, today, the deadline and the buffer.
(function () {
  const node = document.getElementById("gantt");
  const data = document.getElementById("gantt-data");
  if (!node || !data || !window.echarts) return;
  const plan = JSON.parse(data.textContent);
  const steps = plan.steps;
  const day = function (text) { return text ? new Date(text + "T00:00:00").getTime() : null; };
  const next = function (text) { return day(text) + 86400000; };
  node.style.height = Math.max(260, steps.length * 38 + 110) + "px";
  const chart = window.echarts.init(node, null, { renderer: "svg" });
  const names = steps.map(function (s) { return s.name; });
  function bar(params, api) {
    const index = api.value(0);
    const start = api.coord([api.value(1), index]);
    const end = api.coord([api.value(2), index]);
    const height = api.size([0, 1])[1] * (api.value(3) ? 0.28 : 0.5);
    const offset = api.value(3) ? height * 1.1 : -height / 2;
    return {
      type: "rect",
      shape: { x: start[0], y: start[1] + offset, width: Math.max(end[0] - start[0], 2), height: height },
      style: api.style(),
    };
  }
  const planned = steps.map(function (s, i) {
    const color = s.done ? "#2e9d48" : s.late ? "#d9342b" : s.critical ? "#1f4e99" : "#6c9bd9";
    return { value: [i, day(s.start), next(s.end), 0, s.name, s.start, s.end], itemStyle: { color: color } };
  });
  const latest = steps.map(function (s, i) {
    return { value: [i, day(s.latest_start), next(s.latest_end), 1, s.name, s.latest_start, s.latest_end], itemStyle: { color: "#c9ced6" } };
  });
  const marks = [
    { xAxis: day(plan.today), label: { formatter: "今天" }, lineStyle: { color: "#111" } },
    { xAxis: next(plan.deadline), label: { formatter: "完成时限" }, lineStyle: { color: "#d9342b", width: 2 } },
  ];
  const buffer = plan.finish < plan.deadline
    ? [[{ xAxis: next(plan.finish), name: "余量" }, { xAxis: next(plan.deadline) }]]
    : [];
  chart.setOption({
    tooltip: {
      formatter: function (p) { return p.value[4] + (p.value[3] ? " 最晚:" : " 计划:") + p.value[5] + " 至 " + p.value[6]; },
    },
    legend: { bottom: 0, data: ["计划", "最晚窗口"] },
    grid: { left: 10, right: 30, top: 30, bottom: 50, containLabel: true },
    xAxis: { type: "time", min: day(plan.start) - 7 * 86400000, max: next(plan.deadline) + 7 * 86400000 },
    yAxis: { type: "category", data: names, inverse: true },
    series: [
      {
        name: "计划", type: "custom", renderItem: bar, encode: { x: [1, 2], y: 0 }, data: planned,
        markLine: { symbol: "none", data: marks },
        markArea: { itemStyle: { color: "rgba(46,157,72,0.12)" }, data: buffer },
      },
      { name: "最晚窗口", type: "custom", renderItem: bar, encode: { x: [1, 2], y: 0 }, data: latest, itemStyle: { color: "#c9ced6" } },
    ],
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
