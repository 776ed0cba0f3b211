import LodestoneKernel

extension EnsembleResult {
    /// Everything the ensemble reports as bit patterns, for comparing two ensembles exactly
    /// (NaN-safe): every run's metrics and varied values, then for each of `bands` every band
    /// level's series and the mean series. Tests compare blocks against the per-run path with it.
    public func fingerprint(bands: [String]) throws -> [UInt64] {
        var bits = metricValues.map(\.bitPattern) + variedValues.map(\.bitPattern)
        for id in bands {
            for level in EnsembleResult.bandLevels { bits += try band(id, level: level).map(\.bitPattern) }
            bits += try meanSeries(id).map(\.bitPattern)
        }
        return bits
    }
}
