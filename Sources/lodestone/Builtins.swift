import LodestoneData
import LodestoneDiplomacy
import LodestoneExport
import LodestoneKernel
import LodestonePluginKit
import LodestoneScript
import LodestoneStockpile
import LodestoneTrade

/// The one place the executable assembles what Lodestone knows: the built-in modules (trade,
/// stockpile, diplomacy), every exporter, the embedded datasets (`default`, which is `baseline-2026`;
/// `baseline-2024`; `history-2009`), the scenario libraries
/// (`scenarios("2025-controls")`), the resolver for
/// data paths and the runtime-plugin loader (`plugin("industry")`, `--plugin PATH`). The REPL and every subcommand start from this registry.
func makeStandardRegistry() throws -> Registry {
    var registry = Registry()
    try registerTrade(in: &registry)
    try registerStockpile(in: &registry)
    try registerDiplomacy(in: &registry)
    try LodestoneExport.registerAll(in: &registry)
    DataSources.registerEmbedded(in: &registry)
    registry.dataSourceResolver = { spec in try DataSources.resolve(spec) }
    for library in ScenarioLibraries.all { registry.register(scenarioLibrary: library) }
    PluginLoader.standard().install(in: &registry)
    return registry
}

/// Session options wired to the terminal: output to stdout, LodestoneExport's terminal chart
/// (coloured only on a terminal without NO_COLOR) and LodestoneData's dataset description.
func makeSessionOptions(baseDirectory: String? = nil) -> Session.Options {
    var options = Session.Options()
    let colour = Terminal.colourOnStdout
    options.output = { text in Terminal.writeOut(text) }
    options.chartRenderer = { chart in
        chart.titleLines + TerminalChart.render(series: chart.series, start: chart.start, color: colour, unit: chart.unit)
    }
    options.datasetDescriber = { dataset in LodestoneData.describe(dataset) }
    options.baseDirectory = baseDirectory
    return options
}
