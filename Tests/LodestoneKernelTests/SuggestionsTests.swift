import LodestoneKernel
import Testing

@Suite("Suggestions")
struct SuggestionsTests {
    @Test("edit distance counts insertions, deletions and substitutions")
    func editDistance() {
        #expect(Suggestions.editDistance("kitten", "sitting") == 3)
        #expect(Suggestions.editDistance("", "abc") == 3)
        #expect(Suggestions.editDistance("abc", "") == 3)
        #expect(Suggestions.editDistance("cover_days", "cover_days") == 0)
        #expect(Suggestions.editDistance("cover_dys", "cover_days") == 1)
        #expect(Suggestions.editDistance("ab", "ba") == 2)
        #expect(Suggestions.editDistance("Δt", "dt") == 1)
    }

    @Test("the closest candidate within a third of the name's length wins")
    func closest() {
        let names = ["cover_days", "target_days", "floor_days", "rebuild_days"]
        #expect(Suggestions.closest(to: "cover_dys", among: names) == "cover_days")
        #expect(Suggestions.closest(to: "flor_days", among: names) == "floor_days")
        // Case is ignored when measuring.
        #expect(Suggestions.closest(to: "COVER_DAYS", among: names) == "cover_days")
        // Too far: no suggestion.
        #expect(Suggestions.closest(to: "elasticity", among: names) == nil)
        // The first of equally close candidates.
        #expect(Suggestions.closest(to: "JX", among: ["JP", "JA"]) == "JP")
        // Short names allow one edit.
        #expect(Suggestions.closest(to: "CX", among: ["AU", "CN"]) == "CN")
        #expect(Suggestions.closest(to: "XY", among: ["AU", "CN"]) == nil)
        #expect(Suggestions.closest(to: "anything", among: [String]()) == nil)
    }

    @Test("a prefix of a candidate is a plausible intent")
    func prefix() {
        #expect(Suggestions.closest(to: "cover", among: ["rebuild_days", "cover_days"]) == "cover_days")
        #expect(Suggestions.closest(to: "", among: ["cover_days"]) == nil)
    }

    @Test("hints are sentence fragments, empty without a suggestion")
    func hint() {
        #expect(Suggestions.hint(for: "trde", among: ["trade", "stockpile"]) == "; did you mean `trade`?")
        #expect(Suggestions.hint(for: "industry", among: ["trade", "stockpile"]) == "")
    }
}
