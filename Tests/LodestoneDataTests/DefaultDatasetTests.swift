import Foundation
import LodestoneData
import LodestoneKernel
import Testing

@Suite("Embedded default dataset")
struct DefaultDatasetTests {
    @Test func loadsWithoutErrorsOrWarnings() throws {
        let report = Baseline2024Dataset.report
        #expect(report.errors.isEmpty, "\(report.diagnostics)")
        #expect(report.warnings.isEmpty, "\(report.diagnostics)")
        let dataset = try Baseline2024Dataset.source.load()
        #expect(Baseline2024Dataset.source.name == "baseline-2024")
        #expect(dataset.name == "baseline-2024")
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
        let dyTb = try #require(Baseline2024Dataset.report.provenance(.consumption, key: "JP/DyTb"))
        #expect(dyTb.value == 400)
        #expect(dyTb.unit == "t/yr")
        #expect(dyTb.sourceID == "assumption")
        #expect(dyTb.isAssumption)
        #expect(dyTb.location == Place(file: "baseline-2024/consumption.csv", line: 3, column: 1))

        let lynas = try #require(Baseline2024Dataset.report.provenance(.imports, key: "MY>JP/NdPr"))
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
                == "consumption JP/DyTb = 400 t/yr [assumption] — assumption: Lodestone assumption; see the dataset's notes "
                + "(`lodestone data --describe` prints them) for the reasoning and the range worth exploring")
    }

    @Test("no source-tree path reaches the reader; citations that say \"see NOTES\" point at notes the dataset carries")
    func readerTexts() throws {
        for (name, source) in [
            (Baseline2024Dataset.name, Baseline2024Dataset.source), (HistoryDataset.name, HistoryDataset.source),
            (Baseline2026Dataset.name, Baseline2026Dataset.source),
        ] {
            let dataset = try source.load()
            #expect(!dataset.notes.isEmpty, "\(name) carries its NOTES.md")
            #expect(dataset.notes.count > 1000)
            let text = LodestoneData.describe(dataset)
            for banned in ["shared/reference", "Data/", "NOTES.md", "Examples/"] {
                #expect(!text.contains(banned), "describe(\(name)) shows \(banned)")
                #expect(!dataset.description.contains(banned), "\(name)'s description shows \(banned)")
            }
            #expect(text.contains("the dataset's notes (`lodestone data \(name) --describe` prints them)"))
            // Every text a report or `describe` shows of the dataset: its notes (quoted whole in
            // reports), its citations as readers see them, its summary and description.
            let shown = [dataset.notes, dataset.description]
                + dataset.sources.map { $0.readerText(notes: "the notes") }
            for text in shown {
                for path in Self.sourceTreePaths { #expect(!text.contains(path), "\(name) shows \(path)") }
            }
        }
        let quota = Citation(
            id: "q", citation: "quota 2009: 50,145 t (inautonews.com; shared/reference/sources/q.csv, row 2009); see NOTES.md", url: "")
        #expect(quota.readerText(notes: "the notes below") == "quota 2009: 50,145 t (inautonews.com); see the notes below")
        #expect(quota.refersToNotes)
    }

    @Test("the default is baseline-2026; every embedded dataset resolves by its name")
    func defaultIsBaseline2026() throws {
        #expect(DefaultDataset.name == "default")
        #expect(DefaultDataset.datasetName == "baseline-2026")
        let byDefault = try DataSources.resolve("default").load()
        #expect(byDefault.name == "baseline-2026")
        #expect(byDefault.regionCodes.contains("KR"))
        #expect(byDefault.commodityCodes == ["NdPr", "Dy", "Tb", "HREE", "Other"])
        #expect(byDefault.description.hasPrefix("the world as of early 2026"))
        #expect(try DataSources.resolve("baseline-2024").load().commodityCodes == ["NdPr", "DyTb", "Other"])
        #expect(try DataSources.resolve("history-2009").load().name == "history-2009")
        var registry = Registry()
        DataSources.registerEmbedded(in: &registry)
        #expect(registry.dataSources.keys.sorted() == ["baseline-2024", "baseline-2026", "default", "history-2009"])
        #expect(throws: DataSpecError.self) { try DataSources.resolve("baselin-2024") }
        do {
            _ = try DataSources.resolve("baselin-2024")
        } catch {
            #expect(error.message == "no such file or directory `baselin-2024`; did you mean `baseline-2024`?")
        }
    }

    @Test func notesAreEmbedded() {
        #expect(Baseline2024Dataset.notes.hasPrefix("# baseline-2024"))
        #expect(Baseline2024Dataset.notes.contains("China's share of all imports: 70.0 %"))
    }

    /// Paths and files of Lodestone's source tree that a reader of a report does not have.
    static let sourceTreePaths = [
        "shared/", "reference/", "Data/", "Docs/", "Examples/", "Sources/", "Scripts/", "Tests/", "DESIGN.md", "../",
    ]

    @Test func embeddedTextsMatchTheDataFolders() throws {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        for (folder, files, notes, command) in [
            ("Data/baseline-2024", Baseline2024Dataset.files, Baseline2024Dataset.notes, "python3 Scripts/embed-dataset.py"),
            ("Data/history-2009", HistoryDataset.source.files, HistoryDataset.notes,
             "python3 Scripts/embed-dataset.py Data/history-2009 History2009"),
        ] {
            let path = package.appendingPathComponent(folder).standardized.path
            for file in files {
                let text = try String(contentsOfFile: path + "/" + file.name, encoding: .utf8)
                #expect(text == file.text, "\(folder)/\(file.name) is stale: run \(command)")
            }
            let text = try String(contentsOfFile: path + "/NOTES.md", encoding: .utf8)
            #expect(text == notes, "\(folder)/NOTES.md is stale: run \(command)")
        }
    }

    @Test func baseline2024TablesAreTheReferenceTablesWhenPresent() throws {
        // The package sits next to shared/ on developer machines and in CI; skip elsewhere. Only
        // the notes are reworded for readers (no paths), the tables are the reference's.
        let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/reference/baseline-2024").standardized.path
        guard FileManager.default.fileExists(atPath: reference) else { return }
        for file in Baseline2024Dataset.files {
            let text = try String(contentsOfFile: reference + "/" + file.name, encoding: .utf8)
            #expect(text == file.text, "\(file.name) differs from shared/reference/baseline-2024")
        }
    }

    @Test func describeListsTablesPricesSharesAndCitations() throws {
        let text = describe(try defaultDataset())
        let lines = text.components(separatedBy: "\n")
        #expect(lines[0] == "Dataset baseline-2024: \(Baseline2024Dataset.summary)")
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
        #expect(dataset.exporters == ["CN", "MY", "US", "ROW", "EE", "VN", "KZ"])
        // Idle capacity outside China known before 2010 (NOTES.md): Silmet's 2,000 t and Showa
        // Denko's Vietnamese 800 t, with no baseline flows, so all of it is spare.
        let idle = dataset.capacities.filter { ["EE", "VN"].contains($0.region) }.reduce(0) { $0 + $1.tonnesPerYear }
        #expect(idle == 2_800)
        #expect(dataset.flows.allSatisfy { !["EE", "VN", "KZ"].contains($0.exporter) })
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

/// `data("baseline-2026")`: the embedded world of early 2026 (Data/baseline-2026, NOTES.md).
@Suite("The baseline-2026 dataset")
struct Baseline2026DatasetTests {
    static func dataset() throws -> Dataset { try DataSources.resolve("baseline-2026").load() }

    /// Tonnes a year from `exporter` (nil: all) to `importer` (nil: all), every commodity.
    static func tonnes(_ dataset: Dataset, from exporter: String?, to importer: String?, commodity: String? = nil) -> Double {
        dataset.flows.filter {
            (exporter == nil || $0.exporter == exporter) && (importer == nil || $0.importer == importer)
                && (commodity == nil || $0.commodity == commodity)
        }.reduce(0) { $0 + $1.tonnesPerYear }
    }

    @Test("it loads by name, without errors or warnings, with its importers, exporters, commodities and prices")
    func loads() throws {
        let report = Baseline2026Dataset.source.loadReport()
        #expect(report.errors.isEmpty, "\(report.diagnostics)")
        #expect(report.warnings.isEmpty, "\(report.diagnostics)")
        let dataset = try Self.dataset()
        #expect(dataset.name == "baseline-2026")
        #expect(dataset.regionCodes == ["CN", "JP", "US", "EU", "KR", "MY", "VN", "IN", "ROW"])
        #expect(dataset.importers == ["JP", "US", "EU", "KR", "ROW"])
        #expect(dataset.exporters == ["CN", "US", "MY", "VN", "IN", "ROW"])
        #expect(dataset.commodityCodes == ["NdPr", "Dy", "Tb", "HREE", "Other"])
        // Prices p0: Argus NdPr (Sep 2025), SMM Dy FOB China (Jan 2026), JSNM Tb (Jun 2025), the HREE
        // basket, China's average export unit value (Jan–Feb 2026).
        #expect(dataset.commodities.map(\.priceUSDPerKilogram) == [84, 290, 1093, 14, 6.6])
        #expect(dataset.consumption.count == 10)
        #expect(dataset.flows.count == 57)
        #expect(dataset.capacities.count == 20)
        #expect(dataset.stockpiles.count == 30)
        #expect(dataset.sources.count == 23)
        // The default dataset is this one.
        #expect(try DataSources.resolve("default").load().name == "baseline-2026")
    }

    @Test("Japan: 18,835 t a year, 60.0 % from China, split by commodity as NOTES.md derives")
    func japan() throws {
        let dataset = try Self.dataset()
        let demand = dataset.commodityCodes.reduce(0) { $0 + dataset.baselineDemand(importer: "JP", commodity: $1) } * 12
        #expect(abs(demand - 18_835) < 1e-9)
        #expect(dataset.consumption.filter { $0.region == "JP" }.map(\.tonnesPerYear) == [5501, 320, 80, 1500, 11_434])
        let fromChina = Self.tonnes(dataset, from: "CN", to: "JP")
        #expect(fromChina == 11_301)
        #expect(Self.tonnes(dataset, from: nil, to: "JP") == 18_835)
        #expect(abs(100 * fromChina / 18_835 - 60.0) < 0.005)
        // By commodity: NdPr 45 %, Dy 92.5 %, Tb 88.75 %, HREE 95 %.
        #expect(abs(dataset.baselineShare(exporter: "CN", importer: "JP", commodity: "NdPr") - 2476.0 / 5501) < 1e-12)
        #expect(abs(dataset.baselineShare(exporter: "CN", importer: "JP", commodity: "Dy") - 0.925) < 1e-12)
        #expect(abs(dataset.baselineShare(exporter: "CN", importer: "JP", commodity: "Tb") - 0.8875) < 1e-12)
        #expect(abs(dataset.baselineShare(exporter: "CN", importer: "JP", commodity: "HREE") - 0.95) < 1e-12)
        // Lynas's share of Japan's Dy and Tb: 65 % (JARE) of Mt Weld's 13 t and 7 t.
        #expect(Self.tonnes(dataset, from: "MY", to: "JP", commodity: "Dy") == 8)
        #expect(Self.tonnes(dataset, from: "MY", to: "JP", commodity: "Tb") == 5)
        // The JOGMEC target: 42 days state + 18 days private for every commodity.
        for commodity in dataset.commodityCodes {
            #expect(dataset.provenance(.stockpiles, key: "JP/\(commodity)/state")?.value == 42)
            #expect(dataset.provenance(.stockpiles, key: "JP/\(commodity)/private")?.value == 18)
        }
    }

    @Test("the other importers and China's exports add up as NOTES.md says")
    func totals() throws {
        let dataset = try Self.dataset()
        #expect(Self.tonnes(dataset, from: "CN", to: nil) == 62_585)  // China's customs exports, 2025
        #expect(Self.tonnes(dataset, from: nil, to: "US") == 6600)
        #expect(Self.tonnes(dataset, from: "CN", to: "US") == 3889)  // 77 % of 5,050 t of imports
        #expect(Self.tonnes(dataset, from: nil, to: "EU") == 12_900)  // Eurostat 2024
        #expect(Self.tonnes(dataset, from: "CN", to: "EU") == 6000)
        #expect(Self.tonnes(dataset, from: "MY", to: "EU") == 2600)
        #expect(Self.tonnes(dataset, from: nil, to: "KR") == 3000)
        #expect(Self.tonnes(dataset, from: "CN", to: "KR") == 2394)  // 79.8 %
        #expect(Self.tonnes(dataset, from: "CN", to: "ROW") == 39_001)
        #expect(Self.tonnes(dataset, from: "MY", to: nil) == 10_462)  // Lynas FY2025
        #expect(Self.tonnes(dataset, from: "MY", to: nil, commodity: "NdPr") == 6558)
        #expect(Self.tonnes(dataset, from: "US", to: nil, commodity: "NdPr") == 2250)  // of MP's 2,599 t
        let text = describe(dataset)
        #expect(text.contains("  JP           45.0 %    92.5 %    88.8 %    95.0 %    61.5 %    60.0 %"))
        #expect(text.contains("  KR           80.0 %   100.0 %   100.0 %    93.3 %    77.0 %    79.8 %"))
        // Spare capacity outside China: Lynas's heavy-rare-earth circuit makes Dy and Tb re-sourceable.
        #expect(text.contains("  Dy             76  (11.3 %)"))
        #expect(text.contains("  Tb             10  (6.0 %)"))
        #expect(text.contains("  NdPr         4416  (85.0 %)"))
    }

    @Test("every row cites a source in sources.csv, and NOTES.md is embedded verbatim")
    func citations() throws {
        let dataset = try Self.dataset()
        let ids = Set(dataset.sources.map(\.id))
        var cited: Set<String> = []
        for table in DataTable.allCases {
            for record in dataset.provenance(in: table) {
                #expect(ids.contains(record.sourceID), "\(table) \(record.key) cites \(record.sourceID)")
                cited.insert(record.sourceID)
            }
        }
        #expect(dataset.assumptions.count == 76)
        #expect(try #require(dataset.citation("assumption")).isAssumption)
        #expect(dataset.citation("xinhua-jp-share-2025")?.citation.contains("about 60 % now") == true)
        #expect(dataset.provenance(.imports, key: "CN>JP/Other")?.sourceID == "xinhua-jp-share-2025")
        #expect(dataset.provenance(.capacity, key: "MY/Dy")?.sourceID == "lynas-hre-2025")
        #expect(dataset.provenance(.capacity, key: "MY/Dy")?.value == 75)
        // Sources kept for NOTES.md and the scenario pieces, cited by no row.
        #expect(ids.subtracting(cited) == ["jogmec-share-2024", "adamas-prices-2025", "cn-controls-2025", "cn-magnets-2025"])
        #expect(Baseline2026Dataset.notes.hasPrefix("# baseline-2026"))
        #expect(Baseline2026Dataset.notes.contains("| China's share of Japan's imports |"))
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Data/baseline-2026").standardized.path
        for file in Baseline2026Dataset.files {
            let text = try String(contentsOfFile: folder + "/" + file.name, encoding: .utf8)
            #expect(text == file.text, "\(file.name) is stale: run python3 Scripts/embed-dataset.py Data/baseline-2026 Baseline2026")
        }
        let notes = try String(contentsOfFile: folder + "/NOTES.md", encoding: .utf8)
        #expect(notes == Baseline2026Dataset.notes, "NOTES.md is stale: run python3 Scripts/embed-dataset.py Data/baseline-2026 Baseline2026")
    }
}
