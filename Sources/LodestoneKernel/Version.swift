/// Facts about this build of Lodestone that exports record.
public enum LodestoneVersion {
    /// The release (`lodestone --version` prints it; every export records it).
    public static let current = "0.1.0"
}
