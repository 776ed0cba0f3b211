import Foundation
import Testing

/// Drives `lodestone serve --stdio` through pipes: writes request lines, reads reply lines.
final class ServeClient: @unchecked Sendable {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let lock = NSLock()
    private var buffer = Data()
    private var nextID = 0

    /// Starts the server (with `arguments` after `serve --stdio`) in a scratch folder.
    init(arguments: [String] = [], directory: URL = FileManager.default.temporaryDirectory) throws {
        let binary = try #require(LodestoneProcess.binary, "the lodestone executable is built next to the tests")
        process.executableURL = binary
        process.arguments = ["serve", "--stdio"] + arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.lock()
            self.buffer.append(data)
            self.lock.unlock()
        }
        try process.run()
    }

    deinit {
        output.fileHandleForReading.readabilityHandler = nil
        if process.isRunning { process.terminate() }
    }

    /// Writes one raw line.
    func sendLine(_ line: String) {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    /// Sends a request and returns its id.
    @discardableResult
    func send(_ method: String, _ params: [String: Any]? = nil) throws -> Int {
        nextID += 1
        var request: [String: Any] = ["jsonrpc": "2.0", "id": nextID, "method": method]
        if let params { request["params"] = params }
        let data = try JSONSerialization.data(withJSONObject: request)
        sendLine(String(decoding: data, as: UTF8.self))
        return nextID
    }

    /// The next reply line as a JSON object (waiting up to `timeout` seconds).
    func nextReply(timeout: Double = 60) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            lock.lock()
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[buffer.startIndex..<newline]
                buffer.removeSubrange(buffer.startIndex...newline)
                lock.unlock()
                let object = try JSONSerialization.jsonObject(with: Data(line))
                return try #require(object as? [String: Any], "a reply is a JSON object: \(String(decoding: line, as: UTF8.self))")
            }
            lock.unlock()
            Thread.sleep(forTimeInterval: 0.01)
        }
        throw ServeClientError.timeout
    }

    /// Sends a request and returns the `result` of its reply (the reply must answer it).
    func call(_ method: String, _ params: [String: Any]? = nil, timeout: Double = 60) throws -> [String: Any] {
        let id = try send(method, params)
        let reply = try nextReply(timeout: timeout)
        #expect(reply["id"] as? Int == id)
        #expect(reply["jsonrpc"] as? String == "2.0")
        return try #require(reply["result"] as? [String: Any], "a result: \(reply)")
    }

    /// `execute` of `code`.
    func execute(_ code: String, timeout: Double = 60) throws -> [String: Any] {
        try call("execute", ["code": code], timeout: timeout)
    }

    /// Closes standard input and waits for the process to end; its exit status.
    func finish(timeout: Double = 30) throws -> Int32 {
        try input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        guard !process.isRunning else { throw ServeClientError.timeout }
        return process.terminationStatus
    }
}

enum ServeClientError: Error {
    case timeout
}

extension [String: Any] {
    /// The outputs of an execute result.
    var outputs: [[String: Any]] { self["outputs"] as? [[String: Any]] ?? [] }

    /// The `text/plain` of the result outputs, in order.
    var resultTexts: [String] {
        outputs.filter { $0["type"] as? String == "result" }.compactMap { ($0["data"] as? [String: String])?["text/plain"] }
    }

    /// Everything written to standard output.
    var stdout: String {
        outputs.filter { $0["type"] as? String == "stream" && $0["name"] as? String == "stdout" }
            .compactMap { $0["text"] as? String }.joined()
    }
}
