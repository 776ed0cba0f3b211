import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// An XML element parsed with Foundation's `XMLParser`, for checking SVG output.
final class XMLElement {
    let name: String
    let attributes: [String: String]
    var children: [XMLElement] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// This element and all its descendants, depth first.
    var all: [XMLElement] { [self] + children.flatMap(\.all) }

    /// Descendants (and self) with this element name and, if given, class.
    func elements(_ name: String, class className: String? = nil) -> [XMLElement] {
        all.filter { $0.name == name && (className == nil || $0.attributes["class"] == className) }
    }
}

/// Parses `text` as XML; throws when it is not well-formed.
func parseXML(_ text: String) throws -> XMLElement {
    let builder = TreeBuilder()
    let parser = XMLParser(data: Data(text.utf8))
    parser.delegate = builder
    guard parser.parse(), let root = builder.root else {
        throw XMLProblem(message: parser.parserError.map { "\($0)" } ?? "no root element", line: parser.lineNumber)
    }
    return root
}

struct XMLProblem: Error, CustomStringConvertible {
    let message: String
    let line: Int
    var description: String { "line \(line): \(message)" }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    var root: XMLElement?
    var stack: [XMLElement] = []

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        let element = XMLElement(name: elementName, attributes: attributes)
        if let parent = stack.last { parent.children.append(element) } else { root = element }
        stack.append(element)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.text += string
    }
}
