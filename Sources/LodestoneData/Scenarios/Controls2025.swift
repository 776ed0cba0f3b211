import LodestoneKernel

/// The libraries of scenario pieces shipped with Lodestone (`scenarios("2025-controls")`).
public enum ScenarioLibraries {
    /// Every library, for the host to register.
    public static let all: [ScenarioLibrary] = [controls2025]

    /// China's rare-earth controls of 2025–2026, the 2010 halt for comparison, Japan's and the US's
    /// offtake contracts, capacity coming on line, and the US tariff cut of the November 2025
    /// truce as a concession, on the codes of `data("baseline-2026")`. Dates, tonnages and
    /// sources: Docs/Models.md, "The 2025–2026 controls as scenario pieces"; derivations:
    /// Data/baseline-2026/NOTES.md.
    public static let controls2025 = ScenarioLibrary(
        name: "2025-controls",
        doc:
            "China's rare-earth controls of 2025–2026 (April 2025 licensing, the October 2025 expansion and its suspension, the January 2026 measures against Japan), the 2010 halt for comparison, Japan's and the US's offtake contracts, capacity coming on line and the US tariff cut of the November 2025 truce (a concession), on the codes of data(\"baseline-2026\"). Offtakes and new capacity need preset \"v2\"; the concession needs diplomacy.",
        dataset: "baseline-2026",
        pieces: [
            april2025Licensing, october2025Expansion, january2026Japan, halt2010, japanOfftakes, usOfftakes,
            capacityComing, usTariffCut2025,
        ])

    /// The heavy rare earths China licensed in April 2025, in baseline-2026's codes.
    static let heavy = ["Dy", "Tb", "HREE"]

    static let severity = ScenarioPiece.Argument(
        "severity", "how hard the measure bites: 1 as it happened (or as reported), 0 not at all",
        .number(default: 1, range: 0...1.35))

    static let april2025Licensing = ScenarioPiece(
        "april_2025_licensing",
        summary: "April 2025: licensing of Sm, Gd, Tb, Dy, Lu, Sc, Y for every destination",
        doc:
            "MOFCOM/GAC licensing from 2025-04-04 of Sm, Gd, Tb, Dy, Lu, Sc, Y and magnets containing them, for every destination. Licences came slowly: China's magnet exports fell 41 % (April, derived), 74 % (May) and 38.1 % (June) on a year earlier (China customs via Reuters) and recovered in July. Blocks severity × that fall of China's Dy, Tb and HREE exports in the three months from `start` (severity up to 1.35 keeps the shares below 100 %).",
        arguments: [severity, .init("start", "the first month", .month(default: Month(2025, 4)))]
    ) { v in
        let falls = [41.0 / 100, 74.0 / 100, 38.1 / 100]
        return heavy.flatMap { c in
            falls.enumerated().map { offset, fall in
                ScenarioEvent.restrict(
                    from: "CN", to: nil, commodity: c, share: v.number("severity") * fall,
                    start: v.month("start") + offset, months: 1)
            }
        }
    }

    static let october2025Expansion = ScenarioPiece(
        "october_2025_expansion",
        summary: "October 2025: Ho, Er, Tm, Eu, Yb added and a de-minimis rule (suspended after the truce)",
        doc:
            "Announcements 55–58 and 61–62 (2025-10-09) added Ho, Er, Tm, Eu, Yb (in `Other`) and a 0.1 % de-minimis rule on foreign products with Chinese rare earths, due from 2025-12-01. They were suspended on 2025-11-07 until 2026-11-10 (Announcement No. 70) after the US–China truce in Busan, so as it happened they never bit: leave this piece out for history. Added, it blocks severity of China's Dy, Tb and HREE exports and severity × 5 % of `Other` (the five new elements' share of `Other`: an assumption) from `start` for `months`; the truce lapsing is october_2025_expansion(start: 2026-11).",
        arguments: [
            severity, .init("start", "the first month", .month(default: Month(2025, 12))),
            .init("months", "how many months it lasts", .months(default: 12)),
        ]
    ) { v in
        heavy.map { c in
            ScenarioEvent.restrict(
                from: "CN", to: nil, commodity: c, share: v.number("severity"), start: v.month("start"),
                months: v.count("months"))
        }
            + [
                .restrict(
                    from: "CN", to: nil, commodity: "Other", share: v.number("severity") * (5.0 / 100),
                    start: v.month("start"), months: v.count("months"))
            ]
    }

    static let january2026Japan = ScenarioPiece(
        "january_2026_japan",
        summary: "January 2026: dual-use ban on Japan and the reported halt of heavy-rare-earth licences",
        doc:
            "A ban on dual-use exports to Japanese military end users (MOFCOM, 2026-01-06) and a reported halt of licence reviews for heavy rare earths and magnets to Japanese firms (WSJ, Kyodo, 2026-01-09/10; MOFCOM says civilian users are unaffected). Blocks severity of China's Dy, Tb and HREE exports to Japan from `start` for `months`: 1 if the reported halt is total, lower if civilian licences continue.",
        arguments: [
            severity, .init("start", "the first month", .month(default: Month(2026, 1))),
            .init("months", "how many months it lasts", .months(default: 12)),
        ]
    ) { v in
        heavy.map { c in
            ScenarioEvent.restrict(
                from: "CN", to: "JP", commodity: c, share: v.number("severity"), start: v.month("start"),
                months: v.count("months"))
        }
    }

    static let halt2010 = ScenarioPiece(
        "halt_2010",
        summary: "The 2010 halt to Japan, replayed for comparison",
        doc:
            "The 2010 customs slowdown on every rare earth to Japan, never total and never announced; the backcast takes 50 % for two months (Docs/Validation/backcast-2010.lode). Blocks severity × 50 % of China's exports of every commodity to Japan from `start` for `months` (severity 1: as the backcast reads 2010).",
        arguments: [
            severity, .init("start", "the first month", .month(default: Month(2026, 1))),
            .init("months", "how many months it lasts", .months(default: 2)),
        ]
    ) { v in
        [
            .restrict(
                from: "CN", to: "JP", commodity: nil, share: v.number("severity") * (50.0 / 100),
                start: v.month("start"), months: v.count("months"))
        ]
    }

    static let japanOfftakes = ScenarioPiece(
        "japan_offtakes",
        summary: "Japan's contracts with Lynas (JARE), served first from Lynas's spare capacity",
        doc:
            "JARE (JOGMEC + Sojitz, 2023): priority on up to 7,200 t/yr of NdPr, of which 2,750 t/yr are already baseline flows (4,450 t/yr more), and up to 65 % of Mt Weld's Dy/Tb, already in the baseline (8 and 5 t/yr). Extended here to 65 % of Lynas's spare Dy and Tb separation capacity (62 and 8 t/yr: 40 and 5 t/yr; an assumption, as that capacity needs third-party feed). Offtakes MY → JP, scaled by `scale`, from `start`; they need preset \"v2\".",
        arguments: [
            .init("scale", "multiplier of the contracted volumes", .number(default: 1, range: 0...10)),
            .init("start", "the first month", .month(default: Month(2026, 1))),
        ]
    ) { v in
        [("NdPr", 4450.0), ("Dy", 40), ("Tb", 5)].map { c, tonnes in
            ScenarioEvent.offtake(
                from: "MY", to: "JP", commodity: c, tonnesPerYear: v.number("scale") * tonnes, start: v.month("start"),
                months: nil)
        }
    }

    static let usOfftakes = ScenarioPiece(
        "us_offtakes",
        summary: "US DoD–MP Materials: the 10X magnet plant's NdPr to US buyers from 2028",
        doc:
            "US DoD–MP Materials (July 2025): a 110 USD/kg NdPr floor and the offtake of the 10X magnet plant (about 10,000 t/yr of magnets ≈ 3,000 t/yr NdPr at 30 %, an assumption) from 2028; the magnets are US supply, so the contract is MP's NdPr to US buyers. Offtake US → US, scaled by `scale`; needs preset \"v2\".",
        arguments: [
            .init("scale", "multiplier of the contracted volume", .number(default: 1, range: 0...10)),
            .init("start", "the first month", .month(default: Month(2028, 1))),
        ]
    ) { v in
        [
            .offtake(
                from: "US", to: "US", commodity: "NdPr", tonnesPerYear: v.number("scale") * 3000,
                start: v.month("start"), months: nil)
        ]
    }

    static let capacityComing = ScenarioPiece(
        "capacity_coming",
        summary: "Capacity outside China coming on line: MP's run-rate, Lynas's Malaysian heavy-rare-earth plant",
        doc:
            "MP's exit run-rate of about 4,000 t/yr NdPr (2,599 t in 2025: +1,401 t/yr from 2026-01) and Lynas's new Malaysian heavy-rare-earth plant (5,000 t/yr of feed at about 5 % Dy and 1 % Tb: +250 and +50 t/yr; the start month 2027-07 is an assumption, none was announced in the sources read). Needs preset \"v2\".",
        arguments: [.init("lynas_start", "the month Lynas's plant comes on line", .month(default: Month(2027, 7)))]
    ) { v in
        [
            .newCapacity(region: "US", commodity: "NdPr", tonnesPerYear: 1401, start: Month(2026, 1)),
            .newCapacity(region: "MY", commodity: "Dy", tonnesPerYear: 250, start: v.month("lynas_start")),
            .newCapacity(region: "MY", commodity: "Tb", tonnesPerYear: 50, start: v.month("lynas_start")),
        ]
    }

    /// The yearly value of the November 2025 US tariff cut, USD/year: 10 points of the
    /// "fentanyl" tariff (20 % → 10 %, effective 2025-11-10) on US goods imports from China of
    /// 438.7 billion USD in 2024 (an assumption: 2024 volumes, static).
    public static let usTariffCutValue = 438.7e9 / 10

    static let usTariffCut2025 = ScenarioPiece(
        "us_tariff_cut_2025",
        summary: "The US concession of the November 2025 truce: the fentanyl tariff on China cut from 20 % to 10 %",
        doc:
            "After the Busan summit the US cut the 'fentanyl' tariff on Chinese goods from 20 % to 10 % from 2025-11-10 (White House fact sheet, 2025-11-01, via CNA) and China suspended its October 2025 controls. Valued at 10 points on 438.7 billion USD of US goods imports from China in 2024 (US Census): 43.9 billion USD/yr, scaled by `severity` (an assumption: 2024 volumes, static). Sets diplomacy.concession[US] from `at`: the concession raises the settlement hazard of every pair in which the US is the target (Docs/Models.md, diplomacy). Needs diplomacy and a pair (an incident) to act on.",
        arguments: [
            .init("severity", "share of the cut offered (1: the 10 points of November 2025)", .number(default: 1, range: 0...10)),
            .init("at", "the month it is offered", .month(default: Month(2025, 11))),
        ]
    ) { v in
        [.set(path: "diplomacy.concession[US]", value: v.number("severity") * usTariffCutValue, at: v.month("at"))]
    }
}
