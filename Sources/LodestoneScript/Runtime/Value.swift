import LodestoneKernel

/// A value a script computes with.
///
/// Numbers, strings, bools, `none`, months, lists, records, ranges and functions behave as values
/// (assigning copies them). Models and scenarios are shared objects: `m.trade.ramp_months = 3`
/// changes the model every variable holding `m` sees; `m.copy()` makes an independent one.
public indirect enum Value {
    /// `none`: a missing value.
    case none
    /// `true` or `false`.
    case bool(Bool)
    /// A number (64-bit floating point).
    case number(Double)
    /// Text.
    case string(String)
    /// A calendar month.
    case month(Month)
    /// A list, indexed from 0.
    case list([Value])
    /// A record: string keys in insertion order.
    case record(Record)
    /// `a..b`, `a..<b`, `… step s`, over numbers or months.
    case range(RangeValue)
    /// A function written in the script.
    case function(Closure)
    /// A built-in function.
    case builtin(Builtin)
    /// A method bound to its receiver (`s.restrict`), ready to call.
    case method(BoundMethod)
    /// A loaded dataset.
    case dataset(DatasetObject)
    /// A registered model module (`trade`).
    case module(ModuleObject)
    /// A model: modules composed on a dataset, with parameter values.
    case model(ModelObject)
    /// The parameters of one module of a model (`m.stockpile`).
    case moduleParameters(ModelObject, module: String)
    /// A keyed parameter of a model, possibly narrowed by a key (`m.stockpile.cover_days["JP"]`).
    case parameter(ParameterView)
    /// A scenario: a list of timed events.
    case scenario(ScenarioObject)
    /// The result of one run.
    case run(RunResult)
    /// A table of named columns.
    case table(ResultTable)
    /// A probability distribution to draw a varied parameter from.
    case distribution(Distribution)
    /// The result of a Monte Carlo ensemble.
    case ensemble(EnsembleObject)
    /// The result of a parameter sweep.
    case sweep(SweepObject)
    /// The result of a global sensitivity analysis (`sensitivity(…)`).
    case sensitivity(SensitivityObject)
    /// The result of scenario discovery (`discover(…)`).
    case discovery(DiscoveryObject)
    /// The result of a calibration (`calibrate(…)`).
    case calibration(CalibrationObject)

    /// The type's name as shown in messages (`number`, `run`).
    public var typeName: String {
        switch self {
        case .none: "none"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .month: "month"
        case .list: "list"
        case .record: "record"
        case .range: "range"
        case .function, .builtin, .method: "function"
        case .dataset: "dataset"
        case .module: "module"
        case .model: "model"
        case .moduleParameters: "module parameters"
        case .parameter: "parameter"
        case .scenario: "scenario"
        case .run: "run"
        case .table: "table"
        case .distribution: "distribution"
        case .ensemble: "ensemble"
        case .sweep: "sweep"
        case .sensitivity: "sensitivity"
        case .discovery: "discovery"
        case .calibration: "calibration"
        }
    }

    /// The type name with an article (`a number`, `an ensemble`, `none`).
    public var typeDescription: String { Self.article(typeName) }

    static func article(_ name: String) -> String {
        if name == "none" { return "none" }
        return (["a", "e", "i", "o", "u"].contains(name.first.map(String.init) ?? "") ? "an " : "a ") + name
    }
}

/// A record's fields in insertion order.
public struct Record {
    /// The keys, in insertion order.
    public private(set) var keys: [String] = []
    private var storage: [String: Value] = [:]

    /// An empty record.
    public init() {}

    /// A record from key–value pairs (later duplicates replace earlier ones).
    public init(_ pairs: [(String, Value)]) {
        for (key, value) in pairs { self[key] = value }
    }

    /// The value for a key, or nil; setting appends new keys at the end.
    public subscript(key: String) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// The fields in order.
    public var fields: [(key: String, value: Value)] { keys.map { ($0, storage[$0] ?? .none) } }

    /// Number of fields.
    public var count: Int { keys.count }
}

/// A range of numbers or months with a step.
public struct RangeValue {
    /// The first element.
    public let lower: Value
    /// The bound.
    public let upper: Value
    /// Whether `upper` itself belongs to the range (`..` yes, `..<` no).
    public let inclusive: Bool
    /// The step (a number; months step by whole months); nil means 1.
    public let step: Double?
}

/// A function written in a script, with the variables it captured.
public final class Closure {
    /// The declaration.
    public let declaration: FunctionDeclaration
    /// The scope the function was made in; ``Scope/dropOwnFunctions(_:)`` points it at
    /// ``Scope/detached`` when it frees a function and its scope together.
    var scope: Scope

    /// A function made in `scope`, which (with its enclosing scopes) is marked as captured.
    init(declaration: FunctionDeclaration, scope: Scope) {
        self.declaration = declaration
        self.scope = scope
        var current: Scope? = scope
        while let level = current, !level.isCaptured {
            level.isCaptured = true
            current = level.parent
        }
    }

    /// A closure of an empty anonymous function over `scope` (see `Scope.release`).
    convenience init(placeholderIn scope: Scope) {
        let nowhere = SourceRange(file: SourceFile(name: "", text: ""), start: 0, end: 0)
        self.init(declaration: FunctionDeclaration(name: nil, parameters: [], body: [], range: nowhere, nameRange: nowhere), scope: scope)
    }
}



/// A dataset loaded by `data(…)`.
public final class DatasetObject {
    /// The spec it was loaded from (`default`, `data/2010/`).
    public let spec: String
    /// The data.
    public let dataset: Dataset
    init(spec: String, dataset: Dataset) {
        self.spec = spec
        self.dataset = dataset
    }
}

/// A registered model module.
public struct ModuleObject {
    /// The module.
    public let model: any Model
}

/// A model: modules on a dataset with parameter values, shared by every variable holding it.
public final class ModelObject {
    /// The modules, in the order given.
    public let modules: [any Model]
    /// The dataset.
    public let dataset: DatasetObject
    /// The parameter values.
    public var parameters: ParameterSet
    /// The compositions and run plans made for this model, shared with its copies (which differ
    /// in parameter values only), so that repeated runs do not compose again.
    let plans: PlanCache

    init(modules: [any Model], dataset: DatasetObject, parameters: ParameterSet, plans: PlanCache? = nil) {
        self.modules = modules
        self.dataset = dataset
        self.parameters = parameters
        self.plans = plans ?? PlanCache(models: modules, dataset: dataset.dataset)
    }

    /// The module names in order.
    public var moduleNames: [String] { modules.map(\.name) }

    /// A copy with its own parameter values.
    func copy() -> ModelObject { ModelObject(modules: modules, dataset: dataset, parameters: parameters, plans: plans) }
}

/// A parameter of a model, addressed by `module.name` and an optional key selector.
public struct ParameterView {
    /// The model.
    public let model: ModelObject
    /// `module.name`.
    public let path: String
    /// The key selector (`JP`, `JP/DyTb`), or nil for every key.
    public let selector: String?

    /// The path as the kernel reads it: `module.name` or `module.name[selector]`.
    public var fullPath: String { selector.map { "\(path)[\($0)]" } ?? path }
}

/// A scenario being built, shared by every variable holding it.
public final class ScenarioObject {
    /// The scenario.
    public var scenario: Scenario
    init(_ scenario: Scenario) { self.scenario = scenario }
}

/// A built-in function: its signature (for argument checking, help and completion) and body.
public struct Builtin: Sendable {
    /// The signature.
    public let signature: Signature
    let body: @Sendable (Session, Arguments) throws(ScriptError) -> Value
}

/// A method bound to its receiver.
public struct BoundMethod {
    /// The receiver.
    public let receiver: Value
    /// The method.
    public let method: Method
}

/// A method of a value type.
public struct Method: Sendable {
    /// The signature (its name is the method's).
    public let signature: Signature
    let body: @Sendable (Session, Value, Arguments) throws(ScriptError) -> Value
}

/// A read-only property of a value type (`r.months`, `m.modules`).
public struct Property: Sendable {
    /// The name.
    public let name: String
    /// What it holds.
    public let summary: String
    let get: @Sendable (Session, Value) throws(ScriptError) -> Value
}
