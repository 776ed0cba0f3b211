import LodestoneKernel

/// How much data Lodestone reads from one file.
///
/// A dataset's tables hold a few hundred rows (regions, commodities, flows between them), so a
/// file of tens of megabytes is almost certainly the wrong file, or raw data that needs
/// aggregating first. Larger files are refused with a message before anything is read into memory.
public enum DataLimits {
    /// The largest CSV or JSON data file read, in bytes (64 MB).
    public static let maximumFileBytes = 64 << 20

    /// The largest tonnes per year a cell may give (1e20 t/yr, far above any real mineral): sums
    /// over every row of a 64 MB file, and their products with prices, stay finite numbers.
    public static let maximumTonnes = 1e20
    /// The largest baseline price a cell may give (1e12 USD/kg).
    public static let maximumPrice = 1e12
    /// The largest days of stockpile cover a cell may give (1e9 days).
    public static let maximumDays = 1e9

    /// The message for a file of `bytes` bytes, over the limit.
    static func tooLargeMessage(bytes: Int) -> String {
        "the file is \(megabytes(bytes)); data files may be at most \(megabytes(maximumFileBytes)). "
            + "A dataset needs one row per region, commodity or flow: aggregate the rows "
            + "(e.g. sum tonnes per importer, exporter and commodity) or remove the ones the models do not use"
    }

    /// `100.5 MB`.
    static func megabytes(_ bytes: Int) -> String {
        let tenths = (Double(bytes) / Double(1 << 20) * 10).rounded() / 10
        return tenths == tenths.rounded() ? "\(Int(tenths)) MB" : "\(tenths) MB"
    }
}
