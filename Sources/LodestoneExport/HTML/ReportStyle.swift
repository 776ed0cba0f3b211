/// The report's inline style sheet: readable on screen, compact and black-and-white friendly on
/// paper (sections and charts are not split across pages; link targets are printed).
enum ReportStyle {
    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
          color: #111; background: #fff; max-width: 980px; margin: 2rem auto; padding: 0 1.2rem; }
        header { border-bottom: 2px solid #222; margin-bottom: 1.2rem; }
        h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
        h2 { font-size: 1.25rem; margin: 1.6rem 0 .5rem; border-bottom: 1px solid #bbb; }
        h3 { font-size: 1.05rem; margin: 1rem 0 .4rem; }
        .meta { color: #444; margin: 0 0 .8rem; }
        .note { color: #444; font-size: .9rem; }
        table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-variant-numeric: tabular-nums; }
        th, td { border-bottom: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
        th { border-bottom: 2px solid #555; }
        td.num, th.num { text-align: right; white-space: nowrap; }
        .table-wide { overflow-x: auto; }
        .table-wide th { overflow-wrap: anywhere; }
        code { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: .9em; }
        ol.events { padding-left: 1.4rem; }
        ol.events time { font-weight: 600; margin-right: .4rem; }
        figure { margin: 1rem 0 1.4rem; }
        figure svg { display: block; width: 100%; height: auto; }
        figcaption { font-size: .9rem; color: #444; }
        .badge { display: inline-block; padding: 0 .4em; margin-left: .3em; border: 1px solid #8a4500; color: #8a4500;
          border-radius: 3px; font-size: .78em; font-weight: 600; text-transform: uppercase; letter-spacing: .03em; }
        tr.assumption td { background: #fff4e0; }
        footer { margin-top: 2rem; border-top: 1px solid #bbb; color: #555; font-size: .85rem; }
        @media print {
          @page { margin: 14mm; }
          body { margin: 0; max-width: none; font-size: 10.5pt; padding: 0; }
          h2 { break-after: avoid; }
          section, figure, tr { break-inside: avoid; }
          .table-wide { overflow: visible; font-size: 9pt; }
          tr.assumption td { background: none; }
          .badge { border-width: 1.5px; color: #000; border-color: #000; }
          a { color: inherit; text-decoration: none; }
          a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .85em; word-break: break-all; }
        }
        """
}
