// Fuzz target `parse`: the lexer, the parser, the incomplete-input check the REPL uses, name
// resolution (`lodestone check`) and error rendering, on arbitrary text.

import LodestoneKernel
import LodestoneScript

nonisolated(unsafe) private let session = Session(registry: Registry())

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParse(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let source = text(data, size)
    ScriptWorker.shared.run { parse(source) }
    return 0
}

private func parse(_ source: String) {
    let file = SourceFile(name: "fuzz.lode", text: source)
    let count = file.scalars.count
    do {
        let tokens = try Lexer.tokenize(file)
        for token in tokens {
            require(token.range.start >= 0 && token.range.end <= count, "token range outside the text")
        }
    } catch {
        checkError(error, count: count)
    }
    do {
        _ = try Parser.parse(file)
    } catch {
        checkError(error, count: count)
    }
    _ = Session.isIncomplete(source)
    for problem in session.check(source, file: "fuzz.lode") { checkError(problem, count: count) }
}

/// An error points inside the text, says something, and renders with a caret line.
private func checkError(_ error: ScriptError, count: Int) {
    require(!error.message.isEmpty, "empty error message")
    if let range = error.range {
        require(range.start >= 0 && range.start <= range.end && range.end <= count, "error range outside the text: \(error)")
        let rendered = error.render(colour: false)
        require(rendered.contains("^"), "rendered error without a caret: \(rendered)")
    }
}
