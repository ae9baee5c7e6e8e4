/* Baqylau page behaviour: no inline scripts (the content security policy forbids them).
   Charts and maps read their data from <script type="application/json"> blocks written by Django. */
(function () {
  "use strict";

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function text(key) {
    var labels = data("page-labels") || {};
    return labels[key] || key;
  }
  var STATUS_COLOURS = {
    done: "#1e7b34", on_track: "#0f6f8a", at_risk: "#a35a00", late: "#b3261e", not_started: "#5c6470",
    unknown: "#5c6470"
  };

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  function statusChart(canvas) {
    var d = data(canvas.dataset.source);
    if (!d || !window.Chart) return;
    var datasets = ["done", "on_track", "at_risk", "late", "not_started"].map(function (status) {
      return { label: text(status), data: d.counts[status], backgroundColor: STATUS_COLOURS[status], stack: "s" };
    });
    new Chart(canvas, {
      type: "bar",
      data: { labels: d.labels, datasets: datasets },
      options: {
        indexAxis: "y", maintainAspectRatio: false, animation: false,
        scales: { x: { stacked: true, ticks: { precision: 0 }, title: { display: true, text: text("measures") } },
                  y: { stacked: true } },
        plugins: { tooltip: { callbacks: { footer: function (items) {
          var p = d.progress[items[0].dataIndex];
          return text("weighted progress") + ": " + (p === null ? "—" : p + "%");
        } } } }
      }
    });
  }

  // A vertical line at the as-of month of a category axis, labelled: the chart says where "now" is.
  function asOfLine(month) {
    return {
      id: "asOf",
      afterDatasetsDraw: function (chart) {
        if (!month) return;
        var x = chart.scales.x.getPixelForValue(chart.data.labels.indexOf(month));
        if (x === undefined || isNaN(x) || chart.data.labels.indexOf(month) < 0) return;
        var area = chart.chartArea, ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = "#5c6470"; ctx.setLineDash([4, 3]); ctx.lineWidth = 1;
        ctx.beginPath(); ctx.moveTo(x, area.top); ctx.lineTo(x, area.bottom); ctx.stroke();
        ctx.fillStyle = "#5c6470"; ctx.font = "12px sans-serif"; ctx.fillText(text("as of"), x + 4, area.top + 12);
        ctx.restore();
      }
    };
  }

  function waterChart(canvas) {
    var d = data(canvas.dataset.source);
    if (!d || !window.Chart) return;
    var datasets = [
      // The area where demand rises above supply is the deficit: shaded red, nothing elsewhere.
      { label: text("demand"), data: d.demand, borderColor: "#b3261e", pointRadius: 0, borderWidth: 2,
        fill: { target: "+1", above: "rgba(179,38,30,0.30)", below: "rgba(0,0,0,0)" } },
      { label: text("supply"), data: d.supply, borderColor: "#0b5cad", pointRadius: 0, borderWidth: 2, fill: false }
    ];
    if (d.what_if_supply) {
      datasets.push({ label: text("supply (what-if)"), data: d.what_if_supply, borderColor: "#a35a00",
        borderDash: [6, 4], pointRadius: 0, borderWidth: 2, fill: false });
    }
    new Chart(canvas, {
      type: "line",
      data: { labels: d.months, datasets: datasets },
      plugins: [asOfLine(d.as_of)],
      options: { maintainAspectRatio: false, animation: false, interaction: { mode: "index", intersect: false },
        scales: { x: { title: { display: true, text: text("month") } },
                  y: { title: { display: true, text: text("m³/day") } } } }
    });
  }

  // Dates on a time axis: month and year in the page's language; the full date in tooltips.
  var LANG = document.documentElement.lang || "en";
  function dateTick(v) {
    return new Date(v).toLocaleDateString(LANG, { year: "numeric", month: "short", timeZone: "UTC" });
  }
  function fullDate(v) { return new Date(v).toISOString().slice(0, 10); }
  function timeAxis() {
    return { type: "linear", title: { display: true, text: text("date") },
      ticks: { callback: dateTick, maxTicksLimit: 8 } };
  }

  // A measure's progress: the planned curve, accepted progress (it holds until the next report), the
  // forecast to 100% with its 80% range from comparable measures, the due date and the as-of date.
  function progressChart(canvas) {
    var d = data(canvas.dataset.source);
    if (!d || !window.Chart) return;
    var datasets = [
      { label: text("planned"), data: d.planned, borderColor: "#5c6470", borderDash: [6, 4], pointRadius: 0,
        borderWidth: 2 },
      { label: text("accepted progress"), data: d.actual, borderColor: "#1e7b34", backgroundColor: "#1e7b34",
        pointRadius: 4, borderWidth: 2, stepped: "after" },
      { label: text("due date"), data: [{ x: d.due, y: 0 }, { x: d.due, y: 100 }], borderColor: "#b3261e",
        pointRadius: 0, borderWidth: 1 },
      { label: text("as of"), data: [{ x: d.as_of, y: 0 }, { x: d.as_of, y: 100 }], borderColor: "#0b5cad",
        borderDash: [2, 3], pointRadius: 0, borderWidth: 1 }
    ];
    if (d.forecast.length) {
      datasets.splice(2, 0, { label: text("forecast"), data: d.forecast, borderColor: "#a35a00",
        borderDash: [4, 4], pointRadius: 3, borderWidth: 2 });
    }
    if (d.range.length) {
      datasets.splice(2, 0, { label: text("finish expected (80%)"), data: d.range,
        borderColor: "rgba(163,90,0,0.35)", backgroundColor: "rgba(163,90,0,0.35)", pointRadius: 0,
        borderWidth: 10, borderCapStyle: "butt" });
    }
    new Chart(canvas, {
      type: "line",
      data: { datasets: datasets },
      options: { maintainAspectRatio: false, animation: false, parsing: false,
        scales: { x: timeAxis(), y: { min: 0, max: 100, title: { display: true, text: text("progress, %") } } },
        plugins: { tooltip: { callbacks: { title: function (items) { return fullDate(items[0].parsed.x); } } } } }
    });
  }

  // An indicator: its planned line (from the baseline through the targets) against the actuals.
  function indicatorChart(canvas) {
    var d = data(canvas.dataset.source);
    if (!d || !window.Chart) return;
    new Chart(canvas, {
      type: "line",
      data: { datasets: [
        { label: text("baseline"), data: d.baseline, borderColor: "#5c6470", backgroundColor: "#5c6470",
          pointStyle: "rect", showLine: false, pointRadius: 6 },
        { label: text("planned (targets)"), data: d.baseline.concat(d.targets), borderColor: "#0b5cad",
          borderDash: [6, 4], pointRadius: 4 },
        { label: text("actual"), data: d.actuals, borderColor: "#1e7b34", backgroundColor: "#1e7b34", pointRadius: 5 }
      ] },
      options: { maintainAspectRatio: false, animation: false, parsing: false,
        scales: { x: timeAxis(), y: { title: { display: true, text: d.unit } } },
        plugins: { tooltip: { callbacks: { title: function (items) { return fullDate(items[0].parsed.x); } } } } }
    });
  }

  function disciplineChart(canvas) {
    var d = data(canvas.dataset.source);
    if (!d || !window.Chart) return;
    var parts = [["on_time", "on time", "#1e7b34"], ["after_extension", "after extension", "#a35a00"],
      ["late", "late", "#b3261e"], ["overdue", "overdue", "#5c6470"]];
    new Chart(canvas, {
      type: "bar",
      data: { labels: d.labels, datasets: parts.map(function (p) {
        return { label: text(p[1]), data: d[p[0]], backgroundColor: p[2], stack: "s" };
      }) },
      options: { indexAxis: "y", maintainAspectRatio: false, animation: false,
        scales: { x: { stacked: true, ticks: { precision: 0 } }, y: { stacked: true } } }
    });
  }

  function init(root) {
    root.querySelectorAll("canvas[data-chart=discipline]").forEach(disciplineChart);
    root.querySelectorAll("canvas[data-chart=status]").forEach(statusChart);
    root.querySelectorAll("canvas[data-chart=water]").forEach(waterChart);
    root.querySelectorAll("canvas[data-chart=indicator]").forEach(indicatorChart);
    root.querySelectorAll("canvas[data-chart=progress]").forEach(progressChart);
  }
  init(document);
  document.body.addEventListener("htmx:afterSwap", function (event) { init(event.detail.target); });
})();
