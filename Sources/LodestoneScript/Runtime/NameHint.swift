import LodestoneKernel

/// "Did you mean" suggestions for names written in scripts: the kernel's ``Suggestions``, except
/// for names shorter than three characters, where any other short name is "close" and the
/// suggestion would be noise (`i` → `g`).
enum NameHint {
    static func closest<S: Sequence>(to name: String, among candidates: S) -> String? where S.Element == String {
        name.count < 3 ? nil : Suggestions.closest(to: name, among: candidates)
    }

    static func hint<S: Sequence>(for name: String, among candidates: S) -> String where S.Element == String {
        closest(to: name, among: candidates).map { "; did you mean `\($0)`?" } ?? ""
    }
}
