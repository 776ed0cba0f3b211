import Foundation

/// Where the shell keeps its history: `$XDG_STATE_HOME/lodestone/history`, or
/// `~/.local/state/lodestone/history` when `XDG_STATE_HOME` is unset, empty or not absolute
/// (as the XDG base-directory specification says).
public enum HistoryLocation {
    /// The history file for an environment; nil when neither `XDG_STATE_HOME` nor `HOME` is usable.
    public static func file(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return (state as NSString).appendingPathComponent("lodestone/history")
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return (home as NSString).appendingPathComponent(".local/state/lodestone/history")
    }
}
