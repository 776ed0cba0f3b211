/*
 * lodestone_plugin.h — the C ABI of a Lodestone runtime plugin (DESIGN §7).
 *
 * A plugin is a shared library exporting one function, `lodestone_plugin_entry`, that returns a
 * pointer to a `lodestone_plugin` table which stays valid for the life of the process. The host
 * loads it with dlopen(RTLD_NOW | RTLD_LOCAL), checks `abi_version` before reading anything else,
 * parses `manifest`, and never unloads the library.
 *
 * Nothing Swift-specific crosses this boundary: text is UTF-8 JSON, numbers are flat `double`
 * buffers, so plugins need no matching toolchain and could be written in C or Rust. Swift plugins
 * get the whole table from LodestonePluginKit in one line:
 *
 *     @_cdecl("lodestone_plugin_entry")
 *     public func entry() -> UnsafeRawPointer { PluginExport.table(for: IndustryModel()) }
 *
 * JSON numbers that are not finite are written as the strings "inf", "-inf" and "nan".
 *
 * Manifest (static):
 *     {"plugin": "industry", "version": "1.0.0",
 *      "models": [{"name": "industry", "summary": "Output at risk by sector ..."}]}
 *
 * Context JSON (host → plugin, for describe and prepare): the dataset and the scenario,
 *     {"dataset": {"name", "description", "regions": [{"code","name"}],
 *                  "commodities": [{"code","name","priceUSDPerKilogram","source"}],
 *                  "consumption"/"capacities": [{"region","commodity","tonnesPerYear","source"}],
 *                  "flows": [{"importer","exporter","commodity","tonnesPerYear","source"}],
 *                  "stockpiles": [{"region","commodity","holder","days","source"}],
 *                  "sources": [{"id","citation","url"}]},
 *      "scenario": {"name", "events": [{"kind": "restrict", "from", "to", "commodity", "share",
 *                   "start": "2026-02", "months"}, ...]}}
 *
 * Description JSON (plugin → host, from describe): a model's declarations on that context,
 *     {"parameters": [{"name","unit","lower","upper","keys":[...],"defaults":[...],"doc"}],
 *      "inputs":     [{"signal","keys","unit","timing":"current"|"delayed","fallback":null|x,"doc",
 *                      "summed": true (optional)}],
 *      "outputs":    [{"name","keys","unit","doc","headline": true (optional)}],
 *
 * Open inputs (Docs/Authoring-Modules.md, "Taking part in the market"): an input with
 * "summed": true may be produced by any number of modules; the host adds their values key by key
 * (a key nobody produces reads the fallback, 0 unless given). A plugin *produces* such an input,
 * for example trade's `market.extra_supply`, by declaring an output with the qualified name
 * ("name": "market.extra_supply") in the reader's unit and with keys the reader reads; a unit or
 * key mismatch is a composition error naming both modules.
 *      "metrics":    [{"name","keys","kind":"quantity"|"month","unit","doc"}]}
 *
 * Buffer layouts (all `double`, in declaration order of the description; a declaration with no
 * keys takes one value):
 *   inputs      every input's keys, concatenated (a delayed input holds last month's values;
 *               an input key no module produces holds the input's fallback);
 *   parameters  every parameter's values, concatenated, as in force this month;
 *   outputs     every output's keys, concatenated: the plugin writes all of them;
 *   metrics     every metric's keys, concatenated; preset to NaN ("none").
 *
 * Months are ordinals: year * 12 + (month - 1), so 2026-01 is 24312.
 *
 * Errors: functions that can fail take `error`/`error_capacity`, a host buffer; on failure they
 * write a NUL-terminated UTF-8 message (truncated to fit) and return NULL or a non-zero status.
 *
 * Batch form (revision 2, optional): a block of `width` runs stepped in one call. The buffers are
 * the ones above with every value repeated per run, runs side by side (structure of arrays):
 * value j of run r is at `j * width + r`, in the inputs, parameters, outputs and metrics alike.
 * Run r must compute exactly what the per-run functions compute for it, so that results do not
 * depend on the block size. Revisions only append fields: a table whose `size` is
 * LODESTONE_PLUGIN_SIZE_REVISION_1 (a plugin built before the batch form) or whose batch
 * functions are NULL has no batch form, and the host steps its per-run instances run by run.
 */
#ifndef LODESTONE_PLUGIN_H
#define LODESTONE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The ABI version this header describes; the host refuses a table with another version. */
#define LODESTONE_PLUGIN_ABI_VERSION 1

/** The table's revision within the ABI version: 1 the per-run functions, 2 adds the batch form.
 *  A revision appends fields; a table's `size` says which it has. */
#define LODESTONE_PLUGIN_ABI_REVISION 2

/** The symbol every plugin exports. */
#define LODESTONE_PLUGIN_ENTRY_SYMBOL "lodestone_plugin_entry"

/** Status of reset and step: success. */
#define LODESTONE_PLUGIN_OK 0
/** Status of reset and step: failure, with a message in the error buffer. */
#define LODESTONE_PLUGIN_FAILED 1

/** The table a plugin exports. Fields are only ever appended; `size` says how many it has. */
typedef struct lodestone_plugin {
    /** LODESTONE_PLUGIN_ABI_VERSION as compiled into the plugin. Always the first field. */
    uint32_t abi_version;
    /** sizeof(lodestone_plugin) as compiled into the plugin. */
    uint32_t size;
    /** The manifest, UTF-8 JSON, static. */
    const char *manifest;
    /** Passed back as the first argument of describe and prepare. */
    void *context;

    /** Model `model`'s declarations on a context: malloc'd UTF-8 JSON freed with free_text, or NULL. */
    char *(*describe)(void *context, uint32_t model, const char *context_json, char *error,
                      size_t error_capacity);
    /** Frees a text returned by describe. */
    void (*free_text)(char *text);

    /** Prepares model `model` for one composition (flattens the dataset, checks the wiring).
     *  `produced[k]` is 1 when a module produces input key k (in the inputs buffer's order).
     *  Returns a handle for create and release, or NULL. May be called from any thread. */
    void *(*prepare)(void *context, uint32_t model, const char *context_json, const uint8_t *produced,
                     size_t produced_count, char *error, size_t error_capacity);
    /** Releases a prepared handle after its instances are destroyed. */
    void (*release)(void *prepared);

    /** A fresh per-run instance of a prepared model, or NULL. Instances of one prepared handle
     *  may be created and stepped on different threads at once (one thread per instance). */
    void *(*create)(void *prepared, char *error, size_t error_capacity);
    /** Destroys an instance. */
    void (*destroy)(void *instance);

    /** Prepares the state before the first month: `start` is the first month's ordinal, `seed`
     *  the run's seed for this module. Writes the outputs delayed readers see in month 0. */
    int32_t (*reset)(void *instance, int64_t start, uint64_t seed, const double *parameters,
                     double *outputs, char *error, size_t error_capacity);
    /** Computes month `month_index` (0 for the first; calendar month `month` as an ordinal). */
    int32_t (*step)(void *instance, int64_t month_index, int64_t month, const double *inputs,
                    const double *parameters, double *outputs, char *error, size_t error_capacity);
    /** Writes the run's metrics after `months` months. */
    void (*metrics)(void *instance, int64_t months, double *values);

    /* Revision 2: the batch form. Optional: NULL functions (or a revision-1 table) mean none. */

    /** 1 when the prepared model steps blocks of runs (the functions below work on it), else 0. */
    int32_t (*has_batch)(void *prepared);
    /** A fresh instance stepping `width` runs at once, or NULL. Like create: instances of one
     *  prepared handle may be created and stepped on different threads at once. */
    void *(*create_batch)(void *prepared, uint32_t width, char *error, size_t error_capacity);
    /** Destroys a batch instance. */
    void (*destroy_batch)(void *batch);
    /** reset for every run of the block: `seeds[r]` is run r's seed for this module (what reset
     *  gets for that run); parameters and outputs are structure-of-arrays buffers. */
    int32_t (*reset_batch)(void *batch, int64_t start, const uint64_t *seeds, const double *parameters,
                           double *outputs, char *error, size_t error_capacity);
    /** step for every run of the block, over structure-of-arrays buffers. */
    int32_t (*step_batch)(void *batch, int64_t month_index, int64_t month, const double *inputs,
                          const double *parameters, double *outputs, char *error, size_t error_capacity);
    /** metrics for every run of the block, into a structure-of-arrays buffer preset to NaN. */
    void (*metrics_batch)(void *batch, int64_t months, double *values);
} lodestone_plugin;

/** `size` of a revision-1 table (before the batch form): what plugins built before revision 2
 *  carry. The host accepts any size from this one up. */
#define LODESTONE_PLUGIN_SIZE_REVISION_1 offsetof(lodestone_plugin, has_batch)

/** The type of `lodestone_plugin_entry`. */
typedef const lodestone_plugin *(*lodestone_plugin_entry_function)(void);

/** The ABI version the host was built with (the header's constant, as a function). */
uint32_t lodestone_plugin_abi_version(void);

/** LODESTONE_PLUGIN_SIZE_REVISION_1 as a function (for hosts that cannot use offsetof). */
uint32_t lodestone_plugin_size_revision_1(void);

#ifdef __cplusplus
}
#endif

#endif /* LODESTONE_PLUGIN_H */
