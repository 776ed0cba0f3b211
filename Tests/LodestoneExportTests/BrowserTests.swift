import Foundation
import LodestoneKernel
import Testing

@testable import LodestoneExport

/// A headless Chromium, if one is installed (Debian: `chromium-headless-shell` or `chromium`).
enum HeadlessBrowser {
    static let names = ["chromium-headless-shell", "chromium", "chromium-browser", "google-chrome"]

    /// The first browser found on `PATH`, like `which`.
    static let path: String? = {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in names {
            for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return "\(folder)/\(name)"
            }
        }
        return nil
    }()

    /// Runs the browser on `url` with `arguments`; returns its standard output.
    static func run(_ arguments: [String], url: String, profile: String) throws -> String {
        let browser = try #require(path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments =
            ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             "--user-data-dir=\(profile)"] + arguments + [url]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(browser) exited with \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self)
    }
}

@Suite("HTML report in a headless browser")
struct BrowserTests {
    @Test(
        "the report renders to a non-blank screenshot and its DOM holds the charts",
        .enabled(
            if: HeadlessBrowser.path != nil,
            "no headless browser: install Debian's chromium-headless-shell (or chromium) to run this test"),
        .timeLimit(.minutes(2)))
    func screenshotAndDOM() throws {
        let result = try Fixture.run()
        try withTemporaryFolder { folder throws in
            let report = folder + "/report.html"
            try HTMLReportExporter().write(.run(result), to: report, options: ExportOptions())
            let blank = folder + "/blank.html"
            try "<!DOCTYPE html><html><body></body></html>".write(toFile: blank, atomically: true, encoding: .utf8)

            let size = "--window-size=1000,1400"
            _ = try HeadlessBrowser.run(
                ["--screenshot=\(folder)/report.png", size], url: "file://\(report)", profile: folder + "/profile1")
            _ = try HeadlessBrowser.run(
                ["--screenshot=\(folder)/blank.png", size], url: "file://\(blank)", profile: folder + "/profile2")
            let shot = try Data(contentsOf: URL(fileURLWithPath: folder + "/report.png"))
            let empty = try Data(contentsOf: URL(fileURLWithPath: folder + "/blank.png"))
            #expect(Array(shot.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])  // PNG signature
            // A blank page compresses to almost nothing; text and charts do not.
            #expect(shot.count > 20_000)
            #expect(shot.count > 5 * empty.count, "report \(shot.count) bytes vs blank \(empty.count) bytes")

            let dom = try HeadlessBrowser.run(["--dump-dom"], url: "file://\(report)", profile: folder + "/profile3")
            #expect(dom.contains("<svg"))
            #expect(dom.components(separatedBy: "class=\"series\"").count == 3)
            for id in ["headline", "scenario", "parameters", "metrics", "sources"] {
                #expect(dom.contains("<section id=\"\(id)\">"), "section \(id)")
            }
            #expect(dom.contains("ramp.level[JP/DyTb]"))
        }
    }

    @Test(
        "an ensemble report renders with its band charts in a real browser",
        .enabled(
            if: HeadlessBrowser.path != nil,
            "no headless browser: install Debian's chromium-headless-shell (or chromium) to run this test"),
        .timeLimit(.minutes(2)))
    func ensembleReport() throws {
        let ensemble = try EnsembleFixture.ensemble()
        try withTemporaryFolder { folder throws in
            let report = folder + "/ensemble.html"
            try HTMLReportExporter().write(.ensemble(ensemble), to: report, options: ExportOptions())
            _ = try HeadlessBrowser.run(
                ["--screenshot=\(folder)/ensemble.png", "--window-size=1000,1400"], url: "file://\(report)",
                profile: folder + "/profile1")
            let shot = try Data(contentsOf: URL(fileURLWithPath: folder + "/ensemble.png"))
            #expect(Array(shot.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            #expect(shot.count > 20_000)
            let dom = try HeadlessBrowser.run(["--dump-dom"], url: "file://\(report)", profile: folder + "/profile2")
            #expect(dom.components(separatedBy: "class=\"band\"").count - 1 == 4)
            #expect(dom.components(separatedBy: "class=\"band-median\"").count - 1 == 2)
            for id in ["headline", "scenario", "parameters", "metrics", "probabilities", "charts", "sources"] {
                #expect(dom.contains("<section id=\"\(id)\">"), "section \(id)")
            }
        }
    }

    @Test(
        "the first screen (1280×800) shows the headline and the whole key chart; a run prints on two A4 pages",
        .enabled(
            if: HeadlessBrowser.path != nil,
            "no headless browser: install Debian's chromium-headless-shell (or chromium) to run this test"),
        .timeLimit(.minutes(2)))
    func firstScreenAndPrint() throws {
        let payloads: [(name: String, payload: ExportPayload)] = [
            ("run", .run(try Fixture.run())), ("ensemble", .ensemble(try EnsembleFixture.ensemble())),
        ]
        try withTemporaryFolder { folder throws in
            for (name, payload) in payloads {
                let html = try HTMLReportExporter().render(payload)
                let probe = folder + "/\(name)-probe.html"
                try LayoutProbe.page(html).write(toFile: probe, atomically: true, encoding: .utf8)
                let dom = try HeadlessBrowser.run(
                    ["--dump-dom", "--window-size=1280,800", "--virtual-time-budget=3000"], url: "file://\(probe)",
                    profile: folder + "/\(name)-profile1")
                let boxes = try LayoutProbe.boxes(dom)
                let headline = try #require(boxes["headline"])
                let table = try #require(boxes["table.headline"])
                let chart = try #require(boxes["figure.key-chart svg"])
                #expect(headline.top < 200, "\(name): headline at \(headline.top)")
                #expect(table.bottom <= 800, "\(name): headline table ends at \(table.bottom)")
                #expect(chart.top < 800 && chart.bottom <= 800, "\(name): key chart \(chart.top)…\(chart.bottom)")
                #expect(chart.left > table.left, "\(name): the chart is beside the headline")

                let report = folder + "/\(name).html"
                try html.write(toFile: report, atomically: true, encoding: .utf8)
                _ = try HeadlessBrowser.run(
                    ["--no-pdf-header-footer", "--print-to-pdf=\(folder)/\(name).pdf"], url: "file://\(report)",
                    profile: folder + "/\(name)-profile2")
                let pdf = try Data(contentsOf: URL(fileURLWithPath: folder + "/\(name).pdf"))
                let pages = LayoutProbe.pageCount(pdf)
                #expect(pages >= 1 && pages <= (name == "run" ? 2 : 3), "\(name) prints on \(pages) pages")
                let text = String(decoding: pdf, as: UTF8.self)
                #expect(text.contains("/MediaBox [0 0 594.9") && text.contains(" 841.9"), "\(name): A4 paper (595 × 842 pt)")
            }
        }
    }
}

/// Measures where elements of a page land in a real browser: a copy of the page with a small
/// script (tests only; reports carry their own) that writes the boxes into the DOM for `--dump-dom`.
enum LayoutProbe {
    /// The selectors measured.
    static let selectors = ["#headline", "table.headline", "figure.key-chart svg"]

    /// `html` with the measuring script before `</body>`.
    static func page(_ html: String) -> String {
        let list = selectors.map { "'\($0)'" }.joined(separator: ",")
        let script = """
            <script>
            (function () {
              var out = [];
              [\(list)].forEach(function (s) {
                var e = document.querySelector(s);
                if (!e) return;
                var r = e.getBoundingClientRect();
                out.push(s.replace('#', '') + '=' + [r.left, r.top, r.right, r.bottom].map(Math.round).join(','));
              });
              var pre = document.createElement('pre');
              pre.id = 'layout-probe';
              pre.textContent = out.join(';');
              document.body.appendChild(pre);
            })();
            </script>
            """
        return html.replacingOccurrences(of: "</body>", with: script + "</body>")
    }

    /// The boxes written by the probe, by selector (without `#`).
    static func boxes(_ dom: String) throws -> [String: (left: Double, top: Double, right: Double, bottom: Double)] {
        let start = try #require(dom.range(of: "<pre id=\"layout-probe\">"))
        let end = try #require(dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex))
        var boxes: [String: (Double, Double, Double, Double)] = [:]
        for item in dom[start.upperBound..<end.lowerBound].split(separator: ";") {
            let parts = item.split(separator: "=")
            let numbers = parts[1].split(separator: ",").compactMap { Double($0) }
            guard parts.count == 2, numbers.count == 4 else { continue }
            boxes[String(parts[0])] = (numbers[0], numbers[1], numbers[2], numbers[3])
        }
        return boxes
    }

    /// The number of pages of a PDF (its `/Type /Page` objects).
    static func pageCount(_ pdf: Data) -> Int {
        let text = String(decoding: pdf, as: UTF8.self)
        return text.components(separatedBy: "/Type /Page").count - 1 - (text.components(separatedBy: "/Type /Pages").count - 1)
    }
}

@Suite("Interactive HTML report in a headless browser")
struct InteractiveReportTests {
    /// A copy of the report with a test script that hovers over the first chart's plot at month
    /// `t`, clicks its first legend entry, fetches the download link's data, and writes what it
    /// saw into the DOM.
    static func probe(_ html: String, t: Int) -> String {
        let script = """
            <script>
            window.addEventListener("load", function () {
              var out = document.createElement("pre");
              out.id = "interaction-probe";
              document.body.appendChild(out);
              var figure = document.querySelector("figure");
              var svg = figure.querySelector("svg");
              var panel = svg.querySelector("g.panel");
              var n = +panel.getAttribute("data-months"), x0 = +panel.getAttribute("data-x0"), x1 = +panel.getAttribute("data-x1");
              var y = (+panel.getAttribute("data-y0") + +panel.getAttribute("data-y1")) / 2;
              var point = svg.createSVGPoint();
              point.x = x0 + (x1 - x0) * \(t) / (n - 1);
              point.y = y;
              var screen = point.matrixTransform(svg.getScreenCTM());
              svg.dispatchEvent(new MouseEvent("mousemove", { clientX: screen.x, clientY: screen.y, bubbles: true }));
              var tip = figure.querySelector(".chart-tip");
              var lines = ["tip=" + (tip && !tip.hidden ? tip.innerText.replace(/\\n/g, " | ") : "hidden")];
              var entry = panel.querySelector(".legend-entry");
              entry.dispatchEvent(new MouseEvent("click", { bubbles: true }));
              var key = entry.getAttribute("data-key");
              var line = panel.querySelector('[data-values][data-key="' + key + '"]');
              lines.push("hidden-after-click=" + (line && line.getAttribute("visibility")));
              svg.dispatchEvent(new MouseEvent("mousemove", { clientX: screen.x, clientY: screen.y, bubbles: true }));
              lines.push("tip-after-click=" + tip.innerText.replace(/\\n/g, " | "));
              var link = document.querySelector("p.download a");
              fetch(link.href).then(function (r) { return r.text(); }).then(function (text) {
                lines.push("download=" + link.getAttribute("download"));
                lines.push("csv=" + text.split("\\n").length + " " + text.split("\\n")[0]);
                out.textContent = lines.join("\\n");
              }, function (error) { lines.push("fetch failed: " + error); out.textContent = lines.join("\\n"); });
            });
            </script>
            """
        return html.replacingOccurrences(of: "</body>", with: script + "</body>")
    }

    @Test(
        "hover shows every line's value at the nearest month, the legend hides a line, the download link carries the CSV",
        .enabled(
            if: HeadlessBrowser.path != nil,
            "no headless browser: install Debian's chromium-headless-shell (or chromium) to run this test"),
        .timeLimit(.minutes(2)))
    func hoverLegendAndDownload() throws {
        let result = try Fixture.run()
        let html = try HTMLReportExporter().render(.run(result))
        try withTemporaryFolder { folder throws in
            let page = folder + "/probe.html"
            try Self.probe(html, t: 3).write(toFile: page, atomically: true, encoding: .utf8)
            let dom = try HeadlessBrowser.run(
                ["--dump-dom", "--window-size=1280,800", "--virtual-time-budget=5000"], url: "file://\(page)",
                profile: folder + "/profile")
            let start = try #require(dom.range(of: "<pre id=\"interaction-probe\">"))
            let end = try #require(dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex))
            let lines = dom[start.upperBound..<end.lowerBound].split(separator: "\n").map(String.init)
            let report = lines.joined(separator: "\n")
            // Month index 3 is 2026-04: level[JP/NdPr] = 10 + 2·3 = 16, level[JP/DyTb] = 10 + 3·3 = 19.
            #expect(lines.first == "tip=2026-04 | ramp.level[JP/NdPr]: 16 t | ramp.level[JP/DyTb]: 19 t", "\(report)")
            #expect(lines.contains("hidden-after-click=hidden"), "\(report)")
            #expect(lines.contains("tip-after-click=2026-04 | ramp.level[JP/DyTb]: 19 t"), "\(report)")
            let csv = try CSVExporter().render(.run(result))
            let rows = csv.split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(lines.contains("csv=\(rows) run,month,module,signal,key,value,unit"), "\(report)")
            #expect(lines.contains { $0.hasPrefix("download=") && $0.hasSuffix("-data.csv") }, "\(report)")
        }
        // The link's data is the CSV export, byte for byte, without a browser too.
        let href = try #require(html.range(of: "href=\"data:text/csv;charset=utf-8,"))
        let encoded = html[href.upperBound...].prefix { $0 != "\"" }
        #expect(String(encoded).removingPercentEncoding == (try CSVExporter().render(.run(result))))
    }

    @Test("without JavaScript the report is the same static page: charts, data link, no tooltip")
    func worksWithoutScript() throws {
        let html = try HTMLReportExporter().render(.ensemble(try EnsembleFixture.ensemble()))
        // The script only adds behaviour: no element the page needs is made by it.
        #expect(html.contains("<p class=\"download\"><a download="))
        #expect(!html.contains("class=\"chart-tip\""))
        #expect(html.components(separatedBy: "<script>").count == 2)  // one inline script, no src
        #expect(!html.contains("<script src"))
        #expect(html.contains("data-values=\""))
    }
}
