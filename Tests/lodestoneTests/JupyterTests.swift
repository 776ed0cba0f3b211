import Foundation
import Testing

/// The Jupyter kernel (Integrations/jupyter) and the protocol schema, checked by Python scripts
/// that use jupyter_client and jsonschema. Skipped when python3 or those packages are missing
/// (`.ci/run` installs them from PyPI when it can).
@Suite("Jupyter kernel", .serialized, .enabled(if: JupyterPython.python != nil, Comment(rawValue: JupyterPython.skipReason)))
struct JupyterTests {
    @Test("the kernel `lodestone`: a value, an SVG plot, completion, help, an error, an interrupt that keeps the variables")
    func kernel() throws {
        let (status, output) = try JupyterPython.runScript("test_kernel.py")
        #expect(status == 0, "\(output)")
        for line in [
            "ok: montec completes to montecarlo", "ok: plot is image/svg+xml", "ok: the variables survive the interrupt",
            "ok: shut down",
        ] {
            #expect(output.contains(line), "\(output)")
        }
    }

    @Test("the four workshop notebooks match their scripts and run without error, writing the report and chart")
    func workshopNotebooks() throws {
        let (status, output) = try JupyterPython.runScript("run_notebooks.py")
        #expect(status == 0, "\(output)")
        for notebook in ["embargo.ipynb", "controls.ipynb", "curb.ipynb"] {
            let name = notebook.replacingOccurrences(of: ".ipynb", with: "")
            #expect(output.contains("\(notebook): ") && output.contains("wrote \(name).html, \(name).svg"), "\(output)")
        }
        // Workshop 4 also writes its trade-off chart.
        #expect(output.contains("bridge.ipynb: ") && output.contains("wrote bridge-tradeoff.svg, bridge.html, bridge.svg"), "\(output)")
    }

    @Test("the lines of a serve session match Docs/serve-protocol.schema.json")
    func protocolSchema() throws {
        let (status, output) = try JupyterPython.runScript("test_protocol.py")
        #expect(status == 0, "\(output)")
        #expect(output.contains("requests and 12 replies match the schema"), "\(output)")
    }
}

/// The python3 the Jupyter tests run, and how they run its scripts.
enum JupyterPython {
    /// The Python packages the scripts import.
    static let packages = ["ipykernel", "jupyter_client", "jsonschema", "nbclient", "nbformat"]

    /// A python3 that has the packages, or nil.
    static let python: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("python3")
            guard FileManager.default.isExecutableFile(atPath: candidate.path) else { continue }
            let check = Process()
            check.executableURL = candidate
            check.arguments = ["-c", "import " + packages.joined(separator: ", ")]
            check.standardOutput = FileHandle.nullDevice
            check.standardError = FileHandle.nullDevice
            guard (try? check.run()) != nil else { continue }
            check.waitUntilExit()
            return check.terminationStatus == 0 ? candidate : nil
        }
        return nil
    }()

    static let skipReason =
        "python3 with \(packages.joined(separator: ", ")) is not available (pip install ipykernel jupyter_client jsonschema nbclient)"

    /// The folder of the kernel package.
    static let integration = LodestoneProcess.packageRoot.appendingPathComponent("Integrations/jupyter")

    /// Runs a script of Integrations/jupyter/tests with LODESTONE set to the built executable.
    static func runScript(_ name: String, arguments: [String] = []) throws -> (status: Int32, output: String) {
        let python = try #require(python)
        let binary = try #require(LodestoneProcess.binary, "the lodestone executable is built next to the tests")
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-jupyter-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = python
        process.arguments = [integration.appendingPathComponent("tests/\(name)").path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["LODESTONE"] = binary.path
        environment["NO_COLOR"] = "1"
        process.environment = environment
        process.currentDirectoryURL = FileManager.default.temporaryDirectory
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, try String(contentsOf: log, encoding: .utf8))
    }
}
