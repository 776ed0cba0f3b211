import LodestoneKernel

extension Session {
    /// `plugin("NAME" | "PATH")`: loads a runtime plugin through the host's plugin loader and
    /// registers its modules, which then work in `model(…)`, `:modules`, `:help` and completion like
    /// built-ins. Loading the same plugin again returns the modules already loaded.
    static let pluginBuiltins: [Builtin] = [
        builtin(
            "plugin",
            positional: [.init("plugin", "a plugin name such as \"industry\" (found next to lodestone or on LODESTONE_PLUGIN_PATH) or a path to a .so", required: true)],
            summary: "loads a runtime plugin and returns its module (or a list of its modules)"
        ) { session, args throws(ScriptError) in
            let spec = try args.string("plugin") ?? ""
            let names: [String]
            if let loaded = session.loadedPlugins[spec] {
                names = loaded
            } else if !spec.contains("/"), session.registry.models.contains(where: { $0.name == spec }) {
                names = [spec]  // already loaded (e.g. by `--plugin`), or a built-in of that name
            } else if let denial = session.options.access.pluginDenial(spec) {
                throw ScriptError(denial, at: args.range("plugin"))
            } else {
                do {
                    names = try session.registry.loadPlugin(spec)
                } catch {
                    throw ScriptError("\(error)", at: args.range("plugin"))
                }
                session.loadedPlugins[spec] = names
            }
            let modules = names.compactMap { name in session.registry.models.first { $0.name == name } }
                .map { Value.module(ModuleObject(model: $0)) }
            return modules.count == 1 ? modules[0] : .list(modules)
        }
    ]
}
