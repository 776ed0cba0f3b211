/// What Tab completes: the fragment typed before the cursor and the texts that may replace it.
///
/// Every candidate starts with ``word``, so a line editor completes by inserting the candidates'
/// common prefix beyond ``word``, and lists the candidates when that adds nothing.
public struct Completion: Equatable, Sendable {
    /// The fragment before the cursor that the candidates extend (`stockp`, `stockpile.da`).
    public var word: String
    /// The candidates, sorted, without duplicates; each starts with ``word``.
    public var candidates: [String]

    /// Creates a completion, keeping only candidates that start with `word` (sorted, unique).
    public init(word: String, candidates: [String]) {
        self.word = word
        self.candidates = Array(Set(candidates.filter { $0.hasPrefix(word) })).sorted()
    }

    /// No completion.
    public static let none = Completion(word: "", candidates: [])

    /// The longest prefix all candidates share (at least ``word`` when there are candidates).
    public var commonPrefix: String {
        guard var prefix = candidates.first else { return word }
        for candidate in candidates.dropFirst() {
            while !candidate.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }

    /// The text to insert at the cursor: the common prefix beyond what is typed.
    public var insertion: String { String(commonPrefix.dropFirst(word.count)) }
}
