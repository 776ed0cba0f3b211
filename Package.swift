// swift-tools-version: 6.1

import PackageDescription

/// Lodestone: a library and scripting REPL for exploring critical-mineral supply shocks.
///
/// Dependency direction is one way (see Docs/Architecture.md): the kernel knows no module;
/// modules, data, export and script depend on the kernel; the REPL depends on script; the
/// executable depends on everything.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6)
]

let package = Package(
    name: "Lodestone",
    products: [
        .library(name: "LodestoneKernel", targets: ["LodestoneKernel"]),
        .library(name: "LodestoneTesting", targets: ["LodestoneTesting"]),
        .library(name: "LodestoneTrade", targets: ["LodestoneTrade"]),
        .library(name: "LodestoneStockpile", targets: ["LodestoneStockpile"]),
        .library(name: "LodestoneDiplomacy", targets: ["LodestoneDiplomacy"]),
        .library(name: "LodestoneData", targets: ["LodestoneData"]),
        .library(name: "LodestoneExport", targets: ["LodestoneExport"]),
        .library(name: "LodestoneAnalysis", targets: ["LodestoneAnalysis"]),
        .library(name: "LodestoneScript", targets: ["LodestoneScript"]),
        .library(name: "LodestoneREPL", targets: ["LodestoneREPL"]),
        .executable(name: "lodestone", targets: ["lodestone"]),
        .library(name: "LodestonePluginKit", targets: ["LodestonePluginKit"]),
        .library(name: "industry", type: .dynamic, targets: ["IndustryPlugin"]),
        .library(name: "recycling", type: .dynamic, targets: ["RecyclingPlugin"]),
        .plugin(name: "NewModule", targets: ["NewModule"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `swift package generate-documentation`: the DocC API reference (see Docs/README.md).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // MARK: Kernel
        // The kernel returns spans over its block buffers (BatchFrame): lifetime annotations.
        // Modules that use the spans need no feature of their own.
        .target(
            name: "LodestoneKernel", swiftSettings: swiftSettings + [.enableExperimentalFeature("Lifetimes")]),
        .testTarget(
            name: "LodestoneKernelTests", dependencies: ["LodestoneKernel"], swiftSettings: swiftSettings),

        // MARK: Conformance kit and fixtures for module authors
        .target(name: "LodestoneTesting", dependencies: ["LodestoneKernel"], swiftSettings: swiftSettings),
        .testTarget(
            name: "LodestoneTestingTests",
            dependencies: ["LodestoneTesting", "LodestoneKernel", "LodestoneTrade", "LodestoneStockpile", "LodestoneDiplomacy"],
            swiftSettings: swiftSettings),

        // MARK: Built-in modules
        .target(name: "LodestoneTrade", dependencies: ["LodestoneKernel"], swiftSettings: swiftSettings),
        .testTarget(
            name: "LodestoneTradeTests", dependencies: ["LodestoneTesting", "LodestoneTrade", "LodestoneKernel"],
            swiftSettings: swiftSettings),
        .target(name: "LodestoneStockpile", dependencies: ["LodestoneKernel"], swiftSettings: swiftSettings),
        .testTarget(
            name: "LodestoneStockpileTests",
            dependencies: ["LodestoneTesting", "LodestoneStockpile", "LodestoneTrade", "LodestoneKernel"],
            swiftSettings: swiftSettings),
        .target(name: "LodestoneDiplomacy", dependencies: ["LodestoneKernel"], swiftSettings: swiftSettings),
        .testTarget(
            name: "LodestoneDiplomacyTests",
            dependencies: ["LodestoneTesting", "LodestoneDiplomacy", "LodestoneTrade", "LodestoneStockpile", "LodestoneKernel"],
            swiftSettings: swiftSettings),

        // MARK: Data sources
        .target(
            name: "LodestoneData", dependencies: ["LodestoneKernel"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "LodestoneDataTests",
            dependencies: [
                "LodestoneData", "LodestoneKernel", "LodestoneTrade", "LodestoneStockpile", "LodestoneDiplomacy", "LodestoneTesting",
            ],
            swiftSettings: swiftSettings),

        // MARK: Exporters
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "LodestoneExport", dependencies: ["LodestoneKernel", "CSQLite"], swiftSettings: swiftSettings),
        .testTarget(
            name: "LodestoneExportTests", dependencies: ["LodestoneExport", "LodestoneKernel"],
            swiftSettings: swiftSettings),

        // MARK: Exploratory analysis: sensitivity, scenario discovery, calibration
        .target(name: "LodestoneAnalysis", dependencies: ["LodestoneKernel"], swiftSettings: swiftSettings),
        .testTarget(
            name: "LodestoneAnalysisTests",
            dependencies: ["LodestoneAnalysis", "LodestoneKernel", "LodestoneTesting", "LodestoneTrade", "LodestoneStockpile"],
            exclude: ["Data"], swiftSettings: swiftSettings),

        // MARK: Scripting language
        .target(name: "LodestoneScript", dependencies: ["LodestoneKernel", "LodestoneAnalysis"], swiftSettings: swiftSettings),
        .testTarget(
            name: "LodestoneScriptTests",
            dependencies: [
                "LodestoneScript", "LodestoneKernel", "LodestoneData", "LodestoneTrade", "LodestoneStockpile",
                "LodestoneDiplomacy", "LodestoneExport",
            ],
            swiftSettings: swiftSettings),

        // MARK: REPL on libedit
        .systemLibrary(
            name: "CLibEdit", path: "Sources/CLibEdit", pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]),
        .target(name: "CLibEditShim", dependencies: ["CLibEdit"]),
        .target(
            name: "LodestoneREPL", dependencies: ["LodestoneScript", "CLibEditShim"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "LodestoneREPLTests",
            dependencies: [
                "LodestoneREPL", "LodestoneScript", "LodestoneKernel", "LodestoneData", "LodestoneTrade",
                "LodestoneStockpile", "LodestoneDiplomacy",
            ],
            swiftSettings: swiftSettings),

        // MARK: Runtime plugins (C ABI, kit, the `industry` example) and the `new-module` scaffold
        .target(name: "CLodestonePluginABI"),
        .target(
            name: "LodestonePluginKit", dependencies: ["LodestoneKernel", "CLodestonePluginABI"],
            swiftSettings: swiftSettings),
        .target(
            name: "IndustryPlugin", dependencies: ["LodestoneKernel", "LodestonePluginKit"],
            path: "Examples/IndustryPlugin", exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(
            name: "RecyclingPlugin", dependencies: ["LodestoneKernel", "LodestonePluginKit"],
            path: "Examples/RecyclingPlugin", exclude: ["README.md"], swiftSettings: swiftSettings),
        .plugin(
            name: "NewModule",
            capability: .command(
                intent: .custom(
                    verb: "new-module", description: "Scaffold a new model module: source, test, docs, plugin entry"),
                permissions: [
                    .writeToPackageDirectory(
                        reason: "Writes the new module's source, test and docs, and adds its targets to Package.swift")
                ])),
        .testTarget(
            name: "LodestonePluginKitTests",
            dependencies: [
                "LodestonePluginKit", "LodestoneTesting", "LodestoneKernel", "LodestoneTrade", "LodestoneStockpile",
                "LodestoneDiplomacy",
            ],
            swiftSettings: swiftSettings),

        // MARK: Executable
        // The hardware instruction counter `lodestone bench` reads (perf_event_open, Linux).
        .target(name: "CInstructionCounter"),
        .executableTarget(
            name: "lodestone",
            dependencies: [
                "LodestoneKernel", "LodestoneTrade", "LodestoneStockpile", "LodestoneDiplomacy", "LodestoneData",
                "LodestoneExport", "LodestoneAnalysis", "LodestoneScript", "LodestoneREPL", "LodestonePluginKit",
                "CInstructionCounter", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(name: "lodestoneTests", dependencies: ["lodestone"], swiftSettings: swiftSettings),
    ]
)
