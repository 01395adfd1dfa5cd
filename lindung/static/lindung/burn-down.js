// The budget page's burn-down chart: money left at the end of each month per funding source
// and in total (a line each) with each month's cost (bars). The figures come from the page's
// json_script "burn-down-data"; the same figures are in the table under the chart.
(function () {
  var data = document.getElementById("burn-down-data");
  var canvas = document.getElementById("grafik-sisa-dana");
  if (!data || !canvas || typeof window.Chart === "undefined") {
    return;
  }
  var chart = JSON.parse(data.textContent);
  if (!chart) {
    return;
  }
  var rupiah = new Intl.NumberFormat("id-ID", { style: "currency", currency: "IDR", maximumFractionDigits: 0 });
  var colours = ["#1f6f43", "#c58a00", "#6a3d9a", "#b15928", "#1f78b4"];
  var datasets = [
    { type: "line", label: "Sisa dana (semua sumber)", data: chart.left, borderColor: "#123f7a", backgroundColor: "#123f7a", borderWidth: 3, tension: 0 },
  ];
  if (chart.sources.length > 1) {
    chart.sources.forEach(function (source, i) {
      datasets.push({ type: "line", label: "Sisa " + source.label, data: source.left, borderColor: colours[i % colours.length], backgroundColor: colours[i % colours.length], borderDash: [6, 4], borderWidth: 2, tension: 0 });
    });
  }
  datasets.push({ type: "bar", label: "Biaya bulan itu", data: chart.cost, backgroundColor: "rgba(154, 165, 181, 0.5)" });
  canvas.parentElement.classList.add("drawn");
  new window.Chart(canvas, {
    data: { labels: chart.labels, datasets: datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { position: "bottom" },
        tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + rupiah.format(ctx.parsed.y); } } },
      },
      scales: { y: { ticks: { callback: function (value) { return rupiah.format(value); } } } },
    },
  });
})();
