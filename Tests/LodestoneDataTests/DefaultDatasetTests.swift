import Foundation
import LodestoneData
import LodestoneKernel
import Testing

@Suite("Embedded default dataset")
struct DefaultDatasetTests {
    @Test func loadsWithoutErrorsOrWarnings() throws {
        let report = DefaultDataset.report
        #expect(report.errors.isEmpty, "\(report.diagnostics)")
        #expect(report.warnings.isEmpty, "\(report.diagnostics)")
        let dataset = try DefaultDataset.source.load()
        #expect(DefaultDataset.source.name == "default")
        #expect(dataset.name == "default")
        #expect(dataset.regionCodes == ["CN", "JP", "US", "MY", "VN", "FR", "IN", "EE", "ROW"])
        #expect(dataset.commodityCodes == ["NdPr", "DyTb", "Other"])
        #expect(dataset.consumption.count == 6)
        #expect(dataset.flows.count == 28)
        #expect(dataset.capacities.count == 15)
        #expect(dataset.stockpiles.count == 6)
        #expect(dataset.sources.count == 11)
        #expect(dataset.importers == ["JP", "US", "ROW"])
        #expect(dataset.commodities.map(\.priceUSDPerKilogram) == [56, 370, 9])
    }

    @Test func chinasShareOfJapansImportsIsSeventyPercent() throws {
        let dataset = try defaultDataset()
        let toJapan = dataset.flows.filter { $0.importer == "JP" }
        let fromChina = toJapan.filter { $0.exporter == "CN" }.reduce(0) { $0 + $1.tonnesPerYear }
        let total = toJapan.reduce(0) { $0 + $1.tonnesPerYear }
        #expect(fromChina == 13_185)
        #expect(total == 18_835)
        #expect(abs(100 * fromChina / total - 70.0) <= 0.5)
        // By commodity, as NOTES.md states: NdPr 50 %, DyTb 95 %.
        #expect(abs(dataset.baselineShare(exporter: "CN", importer: "JP", commodity: "NdPr") - 0.50) < 0.001)
        #expect(abs(dataset.baselineShare(exporter: "CN", importer: "JP", commodity: "DyTb") - 0.95) < 1e-12)
    }

    @Test func baselineDemandForJapanDyTb() throws {
        let dataset = try defaultDataset()
        #expect(dataset.baselineDemand(importer: "JP", commodity: "DyTb") == 400.0 / 12)
        #expect(dataset.baselineDemand(importer: "JP", commodity: "NdPr") == 5229.0 / 12)
    }

    @Test func restOfWorldDemandIsItsTotalImports() throws {
        let dataset = try defaultDataset()
        #expect(!dataset.consumption.contains { $0.region == "ROW" })
        for commodity in dataset.commodityCodes {
            let imports = dataset.flows.filter { $0.importer == "ROW" && $0.commodity == commodity }
                .reduce(0) { $0 + $1.tonnesPerYear }
            #expect(dataset.baselineDemand(importer: "ROW", commodity: commodity) == imports / 12)
        }
        #expect(dataset.baselineDemand(importer: "ROW", commodity: "NdPr") == 5505.0 / 12)
        #expect(dataset.baselineDemand(importer: "ROW", commodity: "Other") == 42_192.0 / 12)
    }

    @Test func citationsAndAssumptionFlagsAreKept() throws {
        let dataset = try defaultDataset()
        let assumption = try #require(dataset.citation("assumption"))
        #expect(assumption.isAssumption)
        #expect(assumption.url == "")
        #expect(assumption.citation.hasPrefix("Lodestone assumption"))
        let usgs = try #require(dataset.citation("usgs-mcs-2025"))
        #expect(!usgs.isAssumption)
        #expect(usgs.citation.contains("390,000 t REO"))
        #expect(usgs.url == "https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-rare-earths.pdf")
        #expect(dataset.commodities[1].name == "Dysprosium and terbium oxide (magnet heavy rare earths), 4:1 by mass")
        // Every row cites a defined source.
        let ids = Set(dataset.sources.map(\.id))
        for table in DataTable.allCases {
            for record in dataset.provenance(in: table) { #expect(ids.contains(record.sourceID)) }
        }
        #expect(dataset.assumptions.count == 28)
    }

    @Test func provenanceAnswersWhereANumberComesFrom() throws {
        let dyTb = try #require(DefaultDataset.report.provenance(.consumption, key: "JP/DyTb"))
        #expect(dyTb.value == 400)
        #expect(dyTb.unit == "t/yr")
        #expect(dyTb.sourceID == "assumption")
        #expect(dyTb.isAssumption)
        #expect(dyTb.location == Place(file: "default/consumption.csv", line: 3, column: 1))

        let lynas = try #require(DefaultDataset.report.provenance(.imports, key: "MY>JP/NdPr"))
        #expect(lynas.value == 2353)
        #expect(!lynas.isAssumption)
        #expect(lynas.citation?.citation.hasPrefix("JARE (JOGMEC/Sojitz) and Lynas") == true)
        #expect(lynas.location?.line == 3)

        let dataset = try defaultDataset()
        #expect(dataset.provenance(.commodities, key: "DyTb")?.value == 370)
        #expect(dataset.provenance(.commodities, key: "DyTb")?.unit == "USD/kg")
        #expect(dataset.provenance(.stockpiles, key: "JP/DyTb/state")?.value == 42)
        #expect(dataset.provenance(.capacity, key: "MY/NdPr")?.sourceID == "lynas-fy2025")
        #expect(dataset.provenance(.imports, key: "CN>XX/NdPr") == nil)
        #expect(dataset.provenance(in: .regions).isEmpty)
        #expect(
            dataset.provenance(.consumption, key: "JP/DyTb")?.summary
                == "consumption JP/DyTb = 400 t/yr [assumption] — assumption: Lodestone assumption; see NOTES.md "
                + "in this folder for the reasoning and the range worth exploring")
    }

    @Test func notesAreEmbedded() {
        #expect(DefaultDataset.notes.hasPrefix("# baseline-2024"))
        #expect(DefaultDataset.notes.contains("China's share of all imports: 70.0 %"))
    }

    @Test func embeddedTextsMatchTheReferenceFilesWhenPresent() throws {
        // The package sits next to shared/ on developer machines and in CI; skip elsewhere.
        let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/reference/baseline-2024").standardized.path
        guard FileManager.default.fileExists(atPath: reference) else { return }
        for file in DefaultDataset.files {
            let text = try String(contentsOfFile: reference + "/" + file.name, encoding: .utf8)
            #expect(text == file.text, "\(file.name) is stale: run python3 Scripts/embed-dataset.py")
        }
        let notes = try String(contentsOfFile: reference + "/NOTES.md", encoding: .utf8)
        #expect(notes == DefaultDataset.notes, "NOTES.md is stale: run python3 Scripts/embed-dataset.py")
    }

    @Test func describeListsTablesPricesSharesAndCitations() throws {
        let text = describe(try defaultDataset())
        let lines = text.components(separatedBy: "\n")
        #expect(lines[0] == "Dataset default: \(DefaultDataset.summary)")
        #expect(lines.contains("  imports        28"))
        #expect(lines.contains("  sources        11"))
        #expect(lines.contains { $0.hasPrefix("  DyTb      370 USD/kg  Dysprosium and terbium oxide") })
        #expect(lines.contains("China's (CN) share of each importer's baseline imports, by tonnage"))
        #expect(lines.contains("  importer       NdPr      DyTb     Other     total"))
        #expect(lines.contains("  JP           50.0 %    95.0 %    77.2 %    70.0 %"))
        #expect(lines.contains("  ROW          27.2 %   100.0 %    86.2 %    79.5 %"))
        // What a curb by China leaves to re-source: DyTb has almost no spare capacity elsewhere.
        #expect(lines.contains("Spare capacity outside CN, t/yr (share of CN's exports): what re-sourcing can draw on"))
        #expect(lines.contains("  DyTb           20  (2.7 %)   almost none"))
        #expect(lines.contains("  NdPr         4381  (103.4 %)"))
        #expect(lines.contains { $0.hasPrefix("  *assumption") && $0.contains(" 28  Lodestone assumption") })
        #expect(lines.contains { $0.hasPrefix("   usgs-mcs-2025         4  USGS Mineral Commodity Summaries 2025") })
        #expect(lines.contains("  JP             5229       400     13206"))
        #expect(lines.contains("  28 of 58 numbers are assumptions."))
    }
}

/// `data("history-2009")`: the embedded pre-shock world of the 2010 backcast.
@Suite("The history-2009 dataset")
struct HistoryDatasetTests {
    @Test("it loads by name, with its importers, exporters and 2009 prices")
    func loads() throws {
        let dataset = try DataSources.resolve("history-2009").load()
        #expect(dataset.importers == ["JP", "ROW"])
        #expect(dataset.exporters == ["CN", "MY", "US", "ROW"])
        #expect(dataset.commodities.map(\.priceUSDPerKilogram) == [18.8, 165, 7])
        // Japan's baseline: 25,380 t a year, 89.1 % from China (January–August 2010).
        let demand = dataset.commodityCodes.reduce(0) { $0 + dataset.baselineDemand(importer: "JP", commodity: $1) } * 12
        #expect(abs(demand - 25_380) < 1e-9)
        // DyTb has no supplier outside China, and `describe` says so.
        #expect(LodestoneData.describe(dataset).contains("  DyTb            0  (0.0 %)   none: no other supplier can replace CN"))
        // Every row cites a source in sources.csv.
        for table in DataTable.allCases {
            for record in dataset.provenance(in: table) { #expect(dataset.citation(record.sourceID) != nil, "\(record.sourceID)") }
        }
    }
}
