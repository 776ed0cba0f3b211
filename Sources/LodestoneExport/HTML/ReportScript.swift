/// The report's only script, inline and hand-written (no library: a few dozen lines that need no
/// network, where a charting library would be hundreds of kilobytes). It adds to each chart
/// panel, read from the SVG's data attributes: values on hover (the nearest month, every visible
/// line, in a tooltip and a guide line) and a legend that shows and hides lines when clicked.
/// With JavaScript off nothing changes: the static charts and the data link work as they are.
enum ReportScript {
    static let javascript = """
        (function () {
          "use strict";
          function values(el) { return el.getAttribute("data-values").split(",").map(function (v) { return v === "" ? NaN : +v; }); }
          function readable(v) {
            if (!isFinite(v)) return "–";
            var a = Math.abs(v), d = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 3 : 4;
            return v.toLocaleString("en", { maximumFractionDigits: d });
          }
          function month(start, t) {
            var p = start.split("-"), m = (+p[0]) * 12 + (+p[1] - 1) + t;
            return Math.floor(m / 12) + "-" + ("0" + (m % 12 + 1)).slice(-2);
          }
          document.querySelectorAll("figure").forEach(function (figure) {
            var svg = figure.querySelector("svg");
            if (!svg) return;
            var tip = document.createElement("div");
            tip.className = "chart-tip";
            tip.hidden = true;
            figure.appendChild(tip);
            var panels = [].slice.call(svg.querySelectorAll("g.panel[data-months]"));
            panels.forEach(function (panel) {
              var guide = document.createElementNS("http://www.w3.org/2000/svg", "line");
              guide.setAttribute("class", "guide");
              guide.setAttribute("y1", panel.getAttribute("data-y0"));
              guide.setAttribute("y2", panel.getAttribute("data-y1"));
              guide.setAttribute("stroke", "#888888");
              guide.setAttribute("visibility", "hidden");
              panel.appendChild(guide);
              panel.querySelectorAll(".legend-entry").forEach(function (entry) {
                entry.style.cursor = "pointer";
                entry.addEventListener("click", function () {
                  var off = entry.getAttribute("data-off") !== "1";
                  entry.setAttribute("data-off", off ? "1" : "0");
                  entry.setAttribute("opacity", off ? "0.35" : "1");
                  panel.querySelectorAll('[data-key="' + entry.getAttribute("data-key") + '"]').forEach(function (el) {
                    if (el !== entry) el.setAttribute("visibility", off ? "hidden" : "visible");
                  });
                });
              });
            });
            function hide() {
              tip.hidden = true;
              panels.forEach(function (p) { p.querySelector("line.guide").setAttribute("visibility", "hidden"); });
            }
            svg.addEventListener("mouseleave", hide);
            svg.addEventListener("mousemove", function (event) {
              var matrix = svg.getScreenCTM();
              if (!matrix) return;
              var point = svg.createSVGPoint();
              point.x = event.clientX;
              point.y = event.clientY;
              point = point.matrixTransform(matrix.inverse());
              var panel = panels.filter(function (p) { return point.y >= +p.getAttribute("data-y0") - 20 && point.y <= +p.getAttribute("data-y1") + 20; })[0];
              var x0 = panel ? +panel.getAttribute("data-x0") : 0, x1 = panel ? +panel.getAttribute("data-x1") : 0;
              if (!panel || point.x < x0 - 10 || point.x > x1 + 10) { hide(); return; }
              var n = +panel.getAttribute("data-months");
              var t = n <= 1 ? 0 : Math.max(0, Math.min(n - 1, Math.round((point.x - x0) / (x1 - x0) * (n - 1))));
              var gx = n <= 1 ? (x0 + x1) / 2 : x0 + (x1 - x0) * t / (n - 1);
              hide();
              var guide = panel.querySelector("line.guide");
              guide.setAttribute("x1", gx);
              guide.setAttribute("x2", gx);
              guide.setAttribute("visibility", "visible");
              var unit = panel.getAttribute("data-unit");
              var rows = [].slice.call(panel.querySelectorAll("[data-values]")).filter(function (el) {
                return el.getAttribute("visibility") !== "hidden";
              }).map(function (el) {
                return el.getAttribute("data-label") + ": " + readable(values(el)[t]) + (unit === "1" ? "" : " " + unit);
              });
              tip.textContent = "";
              var head = document.createElement("strong");
              head.textContent = month(panel.getAttribute("data-start"), t);
              tip.appendChild(head);
              rows.forEach(function (row) { var line = document.createElement("div"); line.textContent = row; tip.appendChild(line); });
              var box = figure.getBoundingClientRect();
              tip.style.left = Math.min(box.width - 260, Math.max(0, event.clientX - box.left + 14)) + "px";
              tip.style.top = (event.clientY - box.top + 14) + "px";
              tip.hidden = false;
            });
          });
        })();
        """
}
