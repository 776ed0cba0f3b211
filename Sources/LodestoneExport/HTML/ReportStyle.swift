/// The report's inline style sheet: readable on screen, compact and black-and-white friendly on
/// paper (A4; the headline and the first chart side by side, charts and table rows not split
/// across pages, folded tables left folded): a run report prints on two pages.
enum ReportStyle {
    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
          color: #111; background: #fff; max-width: 1240px; margin: 2rem auto; padding: 0 1.2rem; }
        header { border-bottom: 2px solid #222; margin-bottom: 1.2rem; }
        h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
        h2 { font-size: 1.25rem; margin: 1.6rem 0 .5rem; border-bottom: 1px solid #bbb; }
        h3 { font-size: 1.05rem; margin: 1rem 0 .4rem; }
        .meta { color: #444; margin: 0 0 .8rem; }
        .note { color: #444; font-size: .9rem; }
        .answer { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.3fr); gap: 0 1.6rem; align-items: start; }
        .answer.wide-headline { grid-template-columns: minmax(0, 1.3fr) minmax(0, 1fr); }
        .answer > section h2 { margin-top: 0; }
        .answer figure.key-chart { margin-top: 0; }
        @media screen and (max-width: 900px) { .answer { display: block; } }
        section, .answer { max-width: 100%; }
        .lede { font-size: 1.05rem; margin: .2rem 0 .5rem; }
        table.headline td:first-child { line-height: 1.3; }
        p.warning { background: #fff4e5; border-left: 4px solid #e69f00; padding: .3em .6em; }
        table.headline td:first-child code { color: #555; font-size: .8em; }
        table.headline td.num { font-size: 1.05rem; font-weight: 600; }
        table.headline th, table.headline td { padding: .2rem .35rem; }
        details > summary { cursor: pointer; color: #333; margin: .3rem 0; }
        pre.notes, details.note-text p { white-space: pre-wrap; font-size: .85rem; }
        table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-variant-numeric: tabular-nums; }
        th, td { border-bottom: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
        th { border-bottom: 2px solid #555; }
        td.num, th.num { text-align: right; white-space: nowrap; }
        .table-wide { overflow-x: auto; }
        .table-wide th { overflow-wrap: anywhere; }
        code { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: .9em; }
        ol.events { padding-left: 1.4rem; }
        ol.events time { font-weight: 600; margin-right: .4rem; }
        figure { margin: 1rem 0 1.4rem; position: relative; }
        .chart-tip { position: absolute; z-index: 2; max-width: 260px; background: #fff; border: 1px solid #888;
          border-radius: 4px; padding: .3rem .5rem; font-size: .8rem; line-height: 1.35; box-shadow: 0 2px 6px rgba(0,0,0,.15);
          pointer-events: none; }
        .chart-tip[hidden] { display: none; }
        .download { font-size: .9rem; }
        figure svg { display: block; width: 100%; height: auto; }
        figcaption { font-size: .9rem; color: #444; }
        .badge { display: inline-block; padding: 0 .4em; margin-left: .3em; border: 1px solid #8a4500; color: #8a4500;
          border-radius: 3px; font-size: .78em; font-weight: 600; text-transform: uppercase; letter-spacing: .03em; }
        tr.assumption td { background: #fff4e0; }
        footer { margin-top: 2rem; border-top: 1px solid #bbb; color: #555; font-size: .85rem; }
        @media print {
          @page { size: A4; margin: 12mm; }
          body { margin: 0; max-width: none; font-size: 9.5pt; padding: 0; }
          h1 { font-size: 16pt; }
          h2 { break-after: avoid; margin-top: .8rem; font-size: 12pt; }
          .lede { font-size: 10pt; }
          table.headline td.num { font-size: 10pt; }
          figure { margin: .4rem 0 .8rem; }
          .answer { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
          .answer.wide-headline { display: block; }
          figure svg { max-height: 85mm; }
          figcaption { font-size: 8pt; }
          details:not([open]) > summary::after { content: " (open it in a browser to print it)"; }
          figure, tr, .answer { break-inside: avoid; }
          #sources table { font-size: 7.5pt; }
          #sources td { padding: .1rem .3rem; }
          .table-wide { overflow: visible; font-size: 9pt; }
          tr.assumption td { background: none; }
          .badge { border-width: 1.5px; color: #000; border-color: #000; }
          a { color: inherit; text-decoration: none; }
          footer { margin-top: .6rem; font-size: 7.5pt; }
          .chart-tip, .download { display: none; }
        }
        """
}
