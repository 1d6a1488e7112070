/* The managers' dashboard: draws the charts from the data in #dashboard-data (json_script).
   Clicking a point or bar opens the list behind it; the tables under each chart hold the same figures. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#24578f", "#c45a00", "#2d7d46", "#8a2b8f", "#a4161a", "#006d77", "#6b5b00", "#3d3d3d",
                 "#0072b2", "#d55e00", "#009e73", "#cc79a7"];
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#333";
  Chart.defaults.animation = false;  // figures, not a show: draw them at once (and still for reduced motion)

  function go(urls) {
    return function (event, elements) {
      if (!elements.length) { return; }
      var el = elements[0];
      var list = Array.isArray(urls[0]) ? urls[el.datasetIndex] : urls;
      var url = list && list[el.index];
      if (url) { window.location.href = url; }
    };
  }
  function pointer(event, elements) {
    event.native.target.style.cursor = elements.length ? "pointer" : "default";
  }
  function canvas(id) { return document.getElementById(id); }

  if (canvas("chart-ontime")) {
    new Chart(canvas("chart-ontime"), {
      type: "line",
      data: {
        labels: data.months,
        datasets: data.onTime.map(function (s, i) {
          return { label: s.label, data: s.data, borderColor: colours[i % colours.length],
                   backgroundColor: colours[i % colours.length], spanGaps: true, tension: 0 };
        })
      },
      options: {
        maintainAspectRatio: false,
        scales: { y: { min: 0, max: 100, title: { display: true, text: "% op tijd" } } },
        plugins: { tooltip: { callbacks: { afterLabel: function (ctx) {
          return "afgehandeld: " + data.onTime[ctx.datasetIndex].counts[ctx.dataIndex];
        } } } },
        onClick: go(data.onTime.map(function (s) { return s.urls; })),
        onHover: pointer
      }
    });
  }
  if (canvas("chart-now")) {
    new Chart(canvas("chart-now"), {
      type: "bar",
      data: {
        labels: data.now.labels,
        datasets: [
          { label: "Nu verstreken", data: data.now.overdue, backgroundColor: "#a4161a" },
          { label: "Loopt deze week af", data: data.now.week, backgroundColor: "#c45a00" }
        ]
      },
      options: {
        maintainAspectRatio: false, indexAxis: "y",
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
        onClick: go([data.now.overdueUrls, data.now.weekUrls]),
        onHover: pointer
      }
    });
  }
  if (canvas("chart-lead")) {
    new Chart(canvas("chart-lead"), {
      type: "bar",
      data: {
        labels: data.lead.labels,
        datasets: [
          { label: "Mediaan (dagen)", data: data.lead.median, backgroundColor: "#24578f" },
          { label: "90e percentiel (dagen)", data: data.lead.p90, backgroundColor: "#7fa6d1" }
        ]
      },
      options: {
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, title: { display: true, text: "dagen" } } },
        onClick: go(data.lead.urls),
        onHover: pointer
      }
    });
  }
}());
