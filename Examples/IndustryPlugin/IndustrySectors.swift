/// The downstream sectors of the `industry` module and their default coefficients.
///
/// Every number here is either cited (see README.md, "Sources") or an assumption flagged as such;
/// assumptions are the first things to vary in a sweep or ensemble.
enum IndustrySectors {
    /// Sector codes, in key order: EV and industrial motors (incl. inverter compressors and
    /// robots), electronics, wind generators, catalysts, glass and polishing.
    static let codes = ["motors", "electronics", "wind", "catalysts", "glass_polishing"]

    /// Share of each commodity's use that goes to each sector, by commodity code, in sector order.
    ///
    /// - NdPr: CSRE 2023 high-performance NdFeB demand (EVs 30 %, inverter air conditioners 16 %,
    ///   industrial robots 16 %, wind 12 %; via kinzokufocus.com 2024/10) → motors 0.62, wind 0.12;
    ///   the remaining 0.26 to electronics (assumption, close to Heim & Vander Wal 2023's ~30 % for
    ///   consumer electronics). NdPr is taken to go entirely into magnets (assumption).
    /// - DyTb: assumption — heavy rare earths go into high-coercivity magnets for traction and
    ///   industrial motors; some into wind generators and (Tb) phosphors.
    /// - Other: cerium was 5,650 t of Japan's 18,835 t in 2024 (JSNM), about 43 % of `Other`, and
    ///   is used mainly for polishing and catalysts → glass/polishing 0.25 + catalysts 0.20;
    ///   electronics 0.15 (Y/Eu phosphors, ceramics: assumption); the other 0.40 (batteries,
    ///   metallurgy) is not modelled.
    static let shares: [String: [Double]] = [
        "NdPr": [0.62, 0.26, 0.12, 0, 0],
        "DyTb": [0.80, 0.10, 0.10, 0, 0],
        "Other": [0, 0.15, 0, 0.20, 0.25],
    ]

    /// Value of the sector's output that needs one tonne of the commodity, USD per tonne, by
    /// commodity code, in sector order. All are assumptions derived in README.md (magnet content,
    /// devices per tonne of magnet, device value); the wind figures use the cited magnet intensity
    /// of 0.5 t per MW (Heim & Vander Wal 2023).
    static let valuePerTonne: [String: [Double]] = [
        "NdPr": [4.0e6, 3.0e6, 6.7e6, 0, 0],
        "DyTb": [2.0e7, 3.0e7, 5.0e7, 0, 0],
        "Other": [0, 1.5e6, 0, 1.0e6, 0.5e6],
    ]

    /// Substitution rate per year of shortage, in sector order. Motors: rare-earth magnet use per
    /// car in Japan fell 40 % from 2011 to 2013 (abrasivesunion.com 2013-07) → 0.20/yr; the others
    /// are assumptions around the ~10 %/yr substitution of the 2010 crisis (DESIGN §3.1).
    static let substitutionPerYear: [Double] = [0.20, 0.10, 0.05, 0.10, 0.15]

    /// Most output that substitution can save, in sector order. Motors: NEDO's −40 % target for
    /// rare earths in Nd magnets (Epoch Times JP 2010-12-30) reached, plus margin → 0.5
    /// (assumption); the others are assumptions.
    static let maxSubstitution: [Double] = [0.5, 0.3, 0.3, 0.3, 0.5]
}
