import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory new-module NAME [--supplies] [--summary TEXT] [--print-manifest]`
///
/// Scaffolds a model module that compiles, runs and passes the conformance kit as generated
/// (with `--supplies`, one that takes part in the market by producing `market.extra_supply`):
/// - `Sources/Lodestone<Name>/<Name>Model.swift` and `<Name>Instance.swift`: a `BatchModel` skeleton
///   (the batch form: names resolved once in `<Name>Refs`, equations as loops over a block's runs
///   in `<Name>Batch`) with a keyed and a scalar parameter, an input, an output and a metric, and
///   `register<Name>(in:)`;
/// - `Sources/<Name>Plugin/Entry.swift`: the runtime-plugin entry point (`lib<name>.so`);
/// - `Tests/Lodestone<Name>Tests/<Name>Tests.swift`: the conformance kit and a closed-form check;
/// - `Docs/Modules/<Name>.md`: the module's page (equations, parameters, signals, how to load it);
/// - the targets and the `<name>` dynamic-library product, appended to Package.swift (with
///   `--print-manifest`: printed instead, for you to add).
@main
struct NewModule: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let summaryOption = extractor.extractOption(named: "summary").last
        let printManifest = extractor.extractFlag(named: "print-manifest") > 0
        let supplies = extractor.extractFlag(named: "supplies") > 0
        let help = extractor.extractFlag(named: "help") > 0
        let positional = extractor.remainingArguments
        if help || positional.isEmpty {
            print(Self.usage)
            if !help { throw ScaffoldError("new-module: expected a module name, e.g. `new-module Tariff`") }
            return
        }
        guard positional.count == 1, !positional[0].hasPrefix("-") else {
            throw ScaffoldError(
                "new-module: expected one module name, got \(positional.joined(separator: " ")) (see --help)")
        }
        let names = try ModuleNames(positional[0])
        let summary = summaryOption ?? "TODO: one line saying what `\(names.module)` computes"
        guard !summary.contains(where: \.isNewline) else {
            throw ScaffoldError("new-module: --summary must be one line")
        }
        let root = context.package.directoryURL
        let files = Templates.files(for: names, summary: summary, supplies: supplies)
        let manifestURL = root.appendingPathComponent("Package.swift")
        let manifest = try String(contentsOf: manifestURL, encoding: .utf8)

        // Refuse to overwrite anything: a module of that name, its files or its targets.
        for taken in ["trade", "stockpile", "diplomacy", "industry", "recycling", "scenario", "market"] where names.module == taken {
            throw ScaffoldError("new-module: `\(taken)` is already a Lodestone module name; choose another")
        }
        for target in [names.library, names.plugin, names.tests] where manifest.contains("\"\(target)\"") {
            throw ScaffoldError(
                "new-module: Package.swift already declares `\(target)`; remove it first or choose another name")
        }
        for file in files {
            let url = root.appendingPathComponent(file.path)
            if FileManager.default.fileExists(atPath: url.path) {
                throw ScaffoldError("new-module: \(file.path) already exists; nothing was written")
            }
        }

        for file in files {
            let url = root.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.contents.write(to: url, atomically: true, encoding: .utf8)
            print("created \(file.path)")
        }
        let settings = manifest.contains("let swiftSettings") ? "swiftSettings" : "[.swiftLanguageMode(.v6)]"
        let lines = Templates.manifestLines(for: names, settings: settings, supplies: supplies)
        if printManifest {
            print("\nAdd to the end of Package.swift:\n\n\(lines)")
        } else {
            let updated = manifest.hasSuffix("\n") ? manifest + "\n" + lines : manifest + "\n\n" + lines
            try updated.write(to: manifestURL, atomically: true, encoding: .utf8)
            print(
                "updated Package.swift (targets \(names.library), \(names.plugin), \(names.tests); product \(names.module))"
            )
        }
        let steps = [
            ("swift test --filter \(names.tests)", "the conformance kit and the closed-form check"),
            ("swift build --product \(names.module)", "builds \(names.libraryFile) next to `lodestone`"),
            ("lodestone", "then, in the REPL: plugin(\"\(names.module)\")"),
        ]
        let width = steps.map(\.0.count).max() ?? 0
        let next = steps.map { "  " + $0.0 + String(repeating: " ", count: width - $0.0.count) + "   # " + $0.1 }
        print(
            """

            Next:
            \(next.joined(separator: "\n"))
            Edit the equations in Sources/\(names.library)/\(names.type)Instance.swift and the declarations in
            \(names.type)Model.swift; keep Docs/Modules/\(names.type).md in step. To make it a built-in instead,
            add `try register\(names.type)(in: &registry)` where the executable registers trade, stockpile and diplomacy.
            """)
    }

    static let usage = """
        USAGE: swift package --allow-writing-to-package-directory new-module <Name> [--supplies] [--summary <text>] [--print-manifest]

        Scaffolds the Lodestone model module <Name> (UpperCamelCase, e.g. Tariff or RareEarthTax; the module
        is then called `tariff` / `rare_earth_tax`): a Model skeleton, its plugin entry point, a test using
        the conformance kit, a docs page, and its targets in Package.swift.

        OPTIONS:
          --supplies          Scaffold a module that takes part in the market: it produces trade's open
                              input `market.extra_supply` (supply met before imports) instead of only
                              reading trade.
          --summary <text>    The module's one-line summary (shown by :modules).
          --print-manifest    Print the Package.swift lines instead of appending them.
        """
}

/// A scaffolding failure, shown to the user as is.
struct ScaffoldError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The names derived from the user's `Name`.
struct ModuleNames {
    /// `Tariff`: the prefix of the Swift types.
    let type: String
    /// `tariff`: the module's name in scripts, signals and the library file.
    let module: String
    var library: String { "Lodestone\(type)" }
    var plugin: String { "\(type)Plugin" }
    var tests: String { "Lodestone\(type)Tests" }
    var libraryFile: String { "lib\(module).so" }

    init(_ raw: String) throws {
        guard let first = raw.first, first.isLetter, first.isASCII,
            raw.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else {
            throw ScaffoldError(
                "new-module: `\(raw)` is not a valid name: expected letters and digits starting with a letter, e.g. Tariff"
            )
        }
        type = first.uppercased() + raw.dropFirst()
        var snake = ""
        for (i, character) in type.enumerated() {
            if character.isUppercase, i > 0 { snake += "_" }
            snake += character.lowercased()
        }
        module = snake
    }
}
