extension Dataset {
    /// The dataset's tables as one canonical text, the input of ``contentHash``: for each table in
    /// a fixed order (regions, commodities, consumption, imports, capacity, stockpiles, sources) a
    /// line with its name, then one line per row in table order, fields as JSON strings or numbers
    /// (the shortest text that reads back to the same `Double`) joined by commas. The name and the
    /// description are not content and are left out, so a renamed copy hashes the same.
    public var canonicalText: String {
        func q(_ text: String) -> String { JSONText.quoted(text) }
        func n(_ value: Double) -> String { value.description }
        var out = "lodestone-dataset 1\n"
        func table(_ name: String, _ rows: [String]) {
            out += "# \(name)\n"
            for row in rows { out += row + "\n" }
        }
        table("regions", regions.map { [q($0.code), q($0.name)].joined(separator: ",") })
        table(
            "commodities",
            commodities.map { [q($0.code), q($0.name), n($0.priceUSDPerKilogram), q($0.source)].joined(separator: ",") })
        table(
            "consumption",
            consumption.map { [q($0.region), q($0.commodity), n($0.tonnesPerYear), q($0.source)].joined(separator: ",") })
        table(
            "imports",
            flows.map {
                [q($0.importer), q($0.exporter), q($0.commodity), n($0.tonnesPerYear), q($0.source)].joined(separator: ",")
            })
        table(
            "capacity",
            capacities.map { [q($0.region), q($0.commodity), n($0.tonnesPerYear), q($0.source)].joined(separator: ",") })
        table(
            "stockpiles",
            stockpiles.map {
                [q($0.region), q($0.commodity), q($0.holder.rawValue), n($0.days), q($0.source)].joined(separator: ",")
            })
        table("sources", sources.map { [q($0.id), q($0.citation), q($0.url)].joined(separator: ",") })
        return out
    }

    /// `sha256:` and the SHA-256 of ``canonicalText`` in hexadecimal: the same for two datasets
    /// exactly when their tables hold the same rows, whatever their names or where they were read.
    public var contentHash: String { "sha256:" + SHA256.hex(canonicalText) }
}
