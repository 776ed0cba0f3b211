import Foundation
import LodestoneKernel
import LodestonePluginKit
import Testing

/// The package's root directory (this file is `Tests/LodestonePluginKitTests/Support.swift`).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The build directory: the test runner sits there, next to `libindustry.so`.
let buildDirectory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()

/// The industry plugin built by `swift build` (or `swift test`) next to the test runner.
func industryLibrary() throws -> String {
    let path = buildDirectory.appendingPathComponent(PluginLoader.fileName(for: "industry")).path
    try #require(
        FileManager.default.fileExists(atPath: path),
        "\(path) is missing: build it with `swift build --product industry` (plain `swift build` builds it too)")
    return path
}

/// The industry plugin's module.
func industryModel() throws -> PluginModel {
    let models = try PluginLoader(searchPath: []).load(try industryLibrary())
    return try #require(models.first)
}

/// A fresh temporary directory.
func temporaryDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lodestone-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs a program and returns its exit status and combined output.
@discardableResult
func execute(_ program: String, _ arguments: [String], in directory: URL? = nil) throws -> (
    status: Int32, output: String
) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [program] + arguments
    if let directory { process.currentDirectoryURL = directory }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Compiles `testPluginSource` with `defines` into `directory/lib<name>.so`.
func compileCPlugin(named name: String, defines: [String] = [], in directory: URL) throws -> String {
    let source = directory.appendingPathComponent("\(name).c")
    try testPluginSource.write(to: source, atomically: true, encoding: .utf8)
    let output = directory.appendingPathComponent(PluginLoader.fileName(for: name)).path
    let include = packageRoot.appendingPathComponent("Sources/CLodestonePluginABI/include").path
    let result = try execute(
        "cc",
        ["-shared", "-fPIC", "-Wall", "-Werror", "-I", include] + defines.map { "-D\($0)" } + [
            "-o", output, source.path,
        ])
    try #require(result.status == 0, "cc failed: \(result.output)")
    return output
}

/// A plugin written in C against `lodestone_plugin.h`: module `cstep` (or `trade` with
/// NAMED_TRADE) with a parameter `gain` (default 2), an output `value` = gain · month index, and a
/// metric `sum` of the values. Variants break one thing each; BATCH adds the batch form (revision
/// 2), OLD_TABLE makes the table of a plugin built before it (revision 1's size).
let testPluginSource = #"""
    #include <stdio.h>
    #include <stdlib.h>
    #include <string.h>
    #include "lodestone_plugin.h"

    #ifdef NAMED_TRADE
    #define NAME "trade"
    #else
    #define NAME "cstep"
    #endif
    #ifndef ABI
    #define ABI LODESTONE_PLUGIN_ABI_VERSION
    #endif
    #ifndef TABLE_SIZE
    #define TABLE_SIZE sizeof(lodestone_plugin)
    #endif
    #ifndef FAIL_AT
    #define FAIL_AT -1
    #endif

    #if defined(BAD_JSON)
    #define MANIFEST "{not json"
    #elif defined(BAD_MANIFEST_FIELD)
    #define MANIFEST "{\"plugin\":\"cstep\",\"version\":\"0.1\",\"models\":[{\"name\":5,\"summary\":\"x\"}]}"
    #elif defined(NO_MODELS)
    #define MANIFEST "{\"plugin\":\"cstep\",\"version\":\"0.1\",\"models\":[]}"
    #else
    #define MANIFEST "{\"plugin\":\"" NAME "\",\"version\":\"0.1\",\"models\":[{\"name\":\"" NAME "\",\"summary\":\"A C plugin for tests\"}]}"
    #endif

    #ifdef BAD_DESCRIPTION
    #define DEFAULT_GAIN "5"
    #else
    #define DEFAULT_GAIN "2"
    #endif
    #define DESCRIPTION "{\"parameters\":[{\"name\":\"gain\",\"unit\":\"1\",\"lower\":0,\"upper\":3,\"keys\":[]," \
        "\"defaults\":[" DEFAULT_GAIN "],\"doc\":\"Slope of the output\"}],\"inputs\":[]," \
        "\"outputs\":[{\"name\":\"value\",\"keys\":[],\"unit\":\"1\",\"doc\":\"gain times the month index\"}]," \
        "\"metrics\":[{\"name\":\"sum\",\"keys\":[],\"kind\":\"quantity\",\"unit\":\"1\",\"doc\":\"Sum of value\"}]}"

    typedef struct { double sum; } state;
    static int prepared_token;

    static void put(char *error, size_t capacity, const char *text) {
        if (error && capacity) snprintf(error, capacity, "%s", text);
    }
    static char *describe(void *context, uint32_t model, const char *json, char *error, size_t capacity) {
        (void)context; (void)json;
        if (model != 0) { put(error, capacity, "no such model"); return NULL; }
        return strdup(DESCRIPTION);
    }
    static void free_text(char *text) { free(text); }
    static void *prepare(void *context, uint32_t model, const char *json, const uint8_t *produced, size_t count,
                         char *error, size_t capacity) {
        (void)context; (void)model; (void)json; (void)produced; (void)count; (void)error; (void)capacity;
        return &prepared_token;
    }
    static void release(void *prepared) { (void)prepared; }
    static void *create(void *prepared, char *error, size_t capacity) {
        (void)prepared; (void)error; (void)capacity;
        return calloc(1, sizeof(state));
    }
    static void destroy(void *instance) { free(instance); }
    static int32_t reset(void *instance, int64_t start, uint64_t seed, const double *parameters, double *outputs,
                         char *error, size_t capacity) {
        (void)start; (void)seed; (void)parameters; (void)error; (void)capacity;
        ((state *)instance)->sum = 0;
        outputs[0] = 0;
        return LODESTONE_PLUGIN_OK;
    }
    static int32_t step(void *instance, int64_t index, int64_t month, const double *inputs, const double *parameters,
                        double *outputs, char *error, size_t capacity) {
        (void)month; (void)inputs;
        if (index == FAIL_AT) {
            char text[96];
            snprintf(text, sizeof text, "stock went negative in month %lld", (long long)index);
            put(error, capacity, text);
            return LODESTONE_PLUGIN_FAILED;
        }
        outputs[0] = parameters[0] * (double)index;
        ((state *)instance)->sum += outputs[0];
        return LODESTONE_PLUGIN_OK;
    }
    static void metrics(void *instance, int64_t months, double *values) {
        (void)months;
        values[0] = ((state *)instance)->sum;
    }

    #ifdef BATCH
    /* The batch form: `width` runs side by side, value j of run r at j * width + r. */
    typedef struct { uint32_t width; double sums[]; } batch_state;
    static int32_t has_batch(void *prepared) { (void)prepared; return 1; }
    static void *create_batch(void *prepared, uint32_t width, char *error, size_t capacity) {
        (void)prepared; (void)error; (void)capacity;
        batch_state *batch = calloc(1, sizeof(batch_state) + width * sizeof(double));
        batch->width = width;
        return batch;
    }
    static void destroy_batch(void *batch) { free(batch); }
    static int32_t reset_batch(void *instance, int64_t start, const uint64_t *seeds, const double *parameters,
                               double *outputs, char *error, size_t capacity) {
        (void)start; (void)seeds; (void)parameters; (void)error; (void)capacity;
        batch_state *batch = instance;
        for (uint32_t r = 0; r < batch->width; r++) { batch->sums[r] = 0; outputs[r] = 0; }
        return LODESTONE_PLUGIN_OK;
    }
    static int32_t step_batch(void *instance, int64_t index, int64_t month, const double *inputs,
                              const double *parameters, double *outputs, char *error, size_t capacity) {
        (void)month; (void)inputs;
        batch_state *batch = instance;
        if (index == FAIL_AT) { put(error, capacity, "the batch step failed"); return LODESTONE_PLUGIN_FAILED; }
        for (uint32_t r = 0; r < batch->width; r++) {
            outputs[r] = parameters[r] * (double)index;
            batch->sums[r] += outputs[r];
        }
        return LODESTONE_PLUGIN_OK;
    }
    static void metrics_batch(void *instance, int64_t months, double *values) {
        (void)months;
        batch_state *batch = instance;
        for (uint32_t r = 0; r < batch->width; r++) values[r] = batch->sums[r];
    }
    #define BATCH_FUNCTIONS has_batch, create_batch, destroy_batch, reset_batch, step_batch, metrics_batch
    #elif defined(OLD_TABLE)
    /* A plugin built before the batch form: its table ends before the batch fields. What follows
       it in memory is not the plugin's; here, garbage the host must never call (set by the entry). */
    #define BATCH_FUNCTIONS NULL, NULL, NULL, NULL, NULL, NULL
    #undef TABLE_SIZE
    #define TABLE_SIZE LODESTONE_PLUGIN_SIZE_REVISION_1
    #else
    #define BATCH_FUNCTIONS NULL, NULL, NULL, NULL, NULL, NULL
    #endif

    __attribute__((unused)) static lodestone_plugin table = {
        ABI, TABLE_SIZE, MANIFEST, NULL, describe, free_text, prepare, release, create, destroy, reset, step, metrics,
        BATCH_FUNCTIONS
    };

    #ifdef NO_ENTRY
    const lodestone_plugin *some_other_function(void) { return &table; }
    #else
    const lodestone_plugin *lodestone_plugin_entry(void) {
    #ifdef NULL_TABLE
        return NULL;
    #else
    #ifdef OLD_TABLE
        memset((char *)&table + LODESTONE_PLUGIN_SIZE_REVISION_1, 0xAB, sizeof table - LODESTONE_PLUGIN_SIZE_REVISION_1);
    #endif
        return &table;
    #endif
    }
    #endif
    """#
