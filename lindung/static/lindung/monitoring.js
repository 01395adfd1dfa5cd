// The monitoring dashboard's charts: districts (or villages) ranked by coverage, coloured
// against the Pemda's target and the province's rate; participants by occupation, agency,
// funding source, sex and age band; year on year. The figures come from the page's
// json_script "monitoring-data"; the same figures are in the table under each chart.
(function () {
  var data = document.getElementById("monitoring-data");
  if (!data || typeof window.Chart === "undefined") {
    return;
  }
  var charts = JSON.parse(data.textContent);
  var number = new Intl.NumberFormat("id-ID");
  var base = { responsive: true, maintainAspectRatio: false, animation: false };

  function draw(canvas, config) {
    if (!canvas) {
      return;
    }
    canvas.parentElement.classList.add("drawn");
    new window.Chart(canvas, config);
  }

  var coverage = charts.coverage;
  var lines = [];
  if (coverage.target !== null) {
    lines.push({ type: "line", label: "Target Pemda", data: coverage.labels.map(function () { return coverage.target; }), borderColor: "#1f6f43", borderDash: [6, 4], pointRadius: 0, borderWidth: 2 });
  }
  if (coverage.province !== null) {
    lines.push({ type: "line", label: "Provinsi", data: coverage.labels.map(function () { return coverage.province; }), borderColor: "#123f7a", borderDash: [2, 3], pointRadius: 0, borderWidth: 2 });
  }
  draw(document.getElementById("grafik-cakupan"), {
    data: {
      labels: coverage.labels,
      datasets: [{ type: "bar", label: "Cakupan (%)", data: coverage.rates, backgroundColor: coverage.colours }].concat(lines),
    },
    options: Object.assign({}, base, {
      indexAxis: "y",
      plugins: { legend: { display: lines.length > 0, position: "bottom" } },
      scales: { x: { beginAtZero: true, ticks: { callback: function (v) { return v + " %"; } } } },
    }),
  });

  document.querySelectorAll("canvas[data-slice]").forEach(function (canvas) {
    var slice = charts.slices[canvas.dataset.slice];
    if (!slice || slice.counts.length === 0) {
      return;
    }
    draw(canvas, {
      type: "bar",
      data: { labels: slice.labels, datasets: [{ label: "Peserta aktif", data: slice.counts, backgroundColor: "#123f7a" }] },
      options: Object.assign({}, base, {
        indexAxis: "y",
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (ctx) { return number.format(ctx.parsed.x); } } } },
      }),
    });
  });

  draw(document.getElementById("grafik-tahun"), {
    type: "bar",
    data: { labels: charts.years.labels, datasets: [{ label: "Peserta aktif", data: charts.years.counts, backgroundColor: "#1f6f43" }] },
    options: Object.assign({}, base, { plugins: { legend: { display: false } } }),
  });
})();
