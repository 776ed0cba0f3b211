import LodestoneKernel
import LodestoneScript

/// Reads `--set PATH=VALUE`.
enum ParameterOverride {
    /// Parses and validates one assignment; a bad one is a usage error naming it.
    static func parse(_ text: String, registry: Registry) throws -> (path: String, value: Double) {
        guard let equals = text.firstIndex(of: "=") else {
            throw ScriptFailure.usage("--set \(text): expected PATH=VALUE, e.g. --set stockpile.cover_days[JP]=90")
        }
        let path = String(text[..<equals]).trimmingCharacters(in: " ")
        let valueText = String(text[text.index(after: equals)...]).trimmingCharacters(in: " ")
        guard let value = number(valueText) else {
            throw ScriptFailure.usage("--set \(text): `\(valueText)` is not a number (write e.g. 90, 2.5, 1e3 or 25%)")
        }
        guard value.isFinite else {
            throw ScriptFailure.usage("--set \(text): `\(valueText)` is too large to be a finite number (at most about 1.8e308)")
        }
        let module = String(path.split(separator: ".").first ?? "")
        let model: any Model
        do { model = try registry.model(named: module) } catch {
            throw ScriptFailure.usage("--set \(text): \(error.message)")
        }
        // Checked on the default dataset, and accepted when another embedded dataset knows the
        // keys (`trade.price_elasticity[DyTb]` for a script on baseline-2024); the script's own
        // dataset checks it again when the model is built.
        var firstFailure: String?
        for name in ["default", "baseline-2024", "history-2009"] {
            do {
                let dataset = try registry.dataSource(name).load()
                var parameters = ParameterSet(models: [model], dataset: dataset)
                try parameters.set(path, to: value)
                return (path, value)
            } catch let error as ParameterError {
                firstFailure = firstFailure ?? error.message
            } catch {
                firstFailure = firstFailure ?? "\(error)"
            }
        }
        throw ScriptFailure.usage("--set \(text): \(firstFailure ?? "cannot be checked")")
    }

    /// A number as scripts write it: `90`, `-2.5`, `1_000`, `25%`.
    static func number(_ text: String) -> Double? {
        let session = Session(registry: Registry())
        session.options.echoesExpressions = false
        guard text.allSatisfy({ $0.isNumber || "+-._eE%".contains($0) }),
            case .number(let x)? = try? session.run(text, file: "--set")
        else { return nil }
        return x
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
