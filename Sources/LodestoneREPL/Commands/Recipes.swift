/// Worked patterns shown by `:help recipes`: what Examples/ and the workshops do, reachable
/// from the prompt. The tests run every recipe's code.
enum Recipes {
    /// One recipe: a title, what it answers, and code to paste at the prompt.
    struct Recipe {
        /// The title.
        var title: String
        /// What it answers, in a line or two.
        var summary: String
        /// The code, one statement a line.
        var code: String
    }

    static let all: [Recipe] = [
        Recipe(
            title: "A curb as a diplomatic lever",
            summary: """
                An incident lifts tension above the threshold; the restrictor blocks exports while tension \
                stays high, and each month the dispute may settle. Vary what nobody can measure.
                """,
            code: """
                let md = model(trade, stockpile, diplomacy)
                md.diplomacy.max_restriction["NdPr"] = 0     # only Dy and Tb are curbed
                md.diplomacy.max_restriction["HREE"] = 0
                md.diplomacy.max_restriction["Other"] = 0
                let sd = scenario("curb as a lever")
                sd.incident(from: "CN", to: "JP", severity: 0.8, at: 2026-01)
                let ed = montecarlo(md, sd, runs: 200, seed: 7, vary: {"diplomacy.settle_base": uniform(1%, 6%), "diplomacy.half_life_months": uniform(3, 24)})
                ed.quantiles("diplomacy.settled_at[CN>JP]", [25%, 50%, 75%])
                """),
        Recipe(
            title: "The chance that something happens by a date",
            summary: "probability(…, by:) counts the runs whose month metric is at or before the month.",
            code: """
                ed.probability("diplomacy.settled_at[CN>JP]", by: 2026-12)
                ed.probability("stockpile.exhausted_at[JP/Dy]")
                """),
        Recipe(
            title: "A fixed curb, and the stockpile that would bridge it",
            summary: "restrict blocks a share of exports for a set time; a sweep tries stockpile sizes.",
            code: """
                let m = model(trade, stockpile)
                let s = scenario("year-long curb")
                s.restrict(from: "CN", to: "JP", commodity: "Dy", share: 100%, start: 2026-02, months: 12)
                let w = sweep(m, s, param: "stockpile.cover_days[JP]", values: [60, 120, 240])
                w.table("stockpile.unmet_total[JP/Dy]")
                """),
        Recipe(
            title: "Two scenarios side by side",
            summary: "compare lists the metrics of runs (or ensembles) in columns.",
            code: """
                compare(run(m), run(m, s))
                """),
    ]

    /// The text of `:help recipes`.
    static var text: String {
        var out = "Recipes (paste the lines at the prompt, in order; each builds on the ones above):\n"
        for (number, recipe) in all.enumerated() {
            out += "\n\(number + 1). \(recipe.title)\n   \(recipe.summary)\n"
            out += recipe.code.split(separator: "\n").map { "     " + $0 }.joined(separator: "\n") + "\n"
        }
        return out + "\nMore in Examples/ and Docs/Workshops/ (lodestone run FILE, or :load FILE here)."
    }
}
