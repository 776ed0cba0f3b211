import Foundation
import LodestonePluginKit
import Testing

@Suite struct AvailableNamesTests {
    @Test func namesOfTheLibrariesOnTheSearchPath() throws {
        let root = NSTemporaryDirectory() + "lodestone-plugin-names-" + UUID().uuidString
        let first = root + "/first", second = root + "/second"
        for directory in [first, second] { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        defer { try? FileManager.default.removeItem(atPath: root) }
        let ext = PluginLoader.libraryExtension
        for file in ["\(first)/libfoo.\(ext)", "\(first)/notes.txt", "\(first)/foo.\(ext)", "\(second)/libbar.\(ext)", "\(second)/libfoo.\(ext)", "\(second)/lib.\(ext)"] {
            #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        }
        let loader = PluginLoader(searchPath: [first, second, root + "/missing"])
        #expect(loader.availableNames() == ["bar", "foo"])
    }
}
