#!/usr/bin/env bash
# Builds and runs Lodestone's libFuzzer targets (see Docs/Hardening.md).
#
#   Tests/Fuzz/run.sh TARGET [SECONDS] [LIBFUZZER-OPTION…]  fuzz one target (default 60 s)
#   Tests/Fuzz/run.sh all [SECONDS]                         every target in turn, SECONDS each
#   Tests/Fuzz/run.sh TARGET --replay FILE…                 run inputs once (reproduce a finding)
#   Tests/Fuzz/run.sh --build [TARGET…]                     build the fuzz binaries only
#   Tests/Fuzz/run.sh --ci all SECONDS                      as CI runs it: only crashes fail
#
# Targets: parse, interpret, csv, json, manifest. The package's library modules are built with
# `swift build -Xswiftc -sanitize=fuzzer,address` into .build-fuzz (FUZZ_SCRATCH overrides it);
# each target's entry point (Tests/Fuzz/Targets/TARGET.swift) is linked against them with
# `swiftc -sanitize=fuzzer,address`. Inputs libFuzzer finds go to .build-fuzz/fuzz/corpus/TARGET
# (the committed seeds in Tests/Fuzz/corpus/TARGET are only read); crashing inputs to
# .build-fuzz/fuzz/artifacts/TARGET/.
#
# Exit status: 0 when nothing crashed; 1 when a target crashed (or, outside --ci, hung or ran out
# of memory); 2 for a usage error or a build failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

scratch="${FUZZ_SCRATCH:-.build-fuzz}"
work="$scratch/fuzz"
all_targets=(parse interpret csv json manifest)

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2; }

# The package modules each target's entry point imports; their dependencies within the package
# are added from `swift package describe` (package_closure), so a new dependency of a module
# cannot leave a fuzzer unlinked.
roots_of() {
    case "$1" in
        parse) echo "LodestoneKernel LodestoneScript" ;;
        interpret) echo "LodestoneKernel LodestoneScript LodestoneData LodestoneTrade LodestoneStockpile LodestoneDiplomacy" ;;
        csv | json) echo "LodestoneKernel LodestoneData LodestoneTrade LodestoneStockpile LodestoneDiplomacy" ;;
        manifest) echo "LodestoneKernel CLodestonePluginABI LodestonePluginKit LodestoneData LodestoneTrade LodestoneStockpile" ;;
        *) echo "error: unknown fuzz target '$1' (targets: ${all_targets[*]})" >&2; exit 2 ;;
    esac
}
# The roots and every package target they depend on, directly or not (one per line).
package_closure() {
    [ -s "$work/package.json" ] || swift package describe --type json >"$work/package.json"
    python3 - "$work/package.json" "$@" <<'PY'
import json, sys
targets = {t["name"]: t.get("target_dependencies", []) for t in json.load(open(sys.argv[1]))["targets"]}
seen, stack = [], list(sys.argv[2:])
while stack:
    name = stack.pop()
    if name in seen or name not in targets:
        continue
    seen.append(name)
    stack.extend(targets[name])
print("\n".join(seen))
PY
}
modules_of() {
    local roots
    roots="$(roots_of "$1")" || exit 2
    # shellcheck disable=SC2086
    package_closure $roots
}
sources_of() {
    case "$1" in
        csv) echo "Common.swift DataChecks.swift csv.swift" ;;
        json) echo "Common.swift DataChecks.swift json.swift" ;;
        parse | interpret) echo "Common.swift ScriptWorker.swift $1.swift" ;;
        *) echo "Common.swift $1.swift" ;;
    esac
}
dictionary_of() {
    case "$1" in
        parse | interpret) echo "Tests/Fuzz/lode.dict" ;;
        json | manifest) echo "Tests/Fuzz/json.dict" ;;
        csv) echo "Tests/Fuzz/csv.dict" ;;
    esac
}

built_modules=" "
build_module() {
    # One combined flag: given `--sanitize fuzzer --sanitize address`, SwiftPM passes two
    # `-sanitize=` flags in an order that varies from run to run, and swiftc keeps only the last.
    if ! swift build --scratch-path "$scratch" --target "$1" -Xswiftc -sanitize=fuzzer,address \
        -Xcc -fsanitize=fuzzer-no-link,address >"$work/build-$1.log" 2>&1; then
        cat "$work/build-$1.log" >&2
        echo "error: building $1 for fuzzing failed" >&2
        exit 2
    fi
}

# Whether every Swift object of a module carries libFuzzer's coverage counters.
instrumented() {
    local object
    for object in "$scratch"/debug/"$1".build/*.swift.o; do
        [ -e "$object" ] || return 0  # a C module
        grep -q -a __sancov_cntrs "$object" || return 1
    done
}

build() {
    local target="$1" module objects=() sources=()
    for module in $(modules_of "$target"); do
        if [[ "$built_modules" != *" $module "* ]]; then
            echo "fuzz: building $module (sanitizers: fuzzer, address)" >&2
            build_module "$module"
            # Objects built without coverage (by an earlier build with other flags) would make
            # libFuzzer blind: rebuild the module from scratch then.
            if ! instrumented "$module"; then
                echo "fuzz: $module was built without coverage instrumentation; rebuilding it" >&2
                rm -f "$scratch"/debug/"$module".build/*.o
                build_module "$module"
                if ! instrumented "$module"; then
                    echo "error: $module has no coverage instrumentation after a rebuild" >&2
                    exit 2
                fi
            fi
            built_modules+="$module "
        fi
        objects+=("$scratch"/debug/"$module".build/*.o)
    done
    for source in $(sources_of "$target"); do sources+=("Tests/Fuzz/Targets/$source"); done
    mkdir -p "$work/bin"
    echo "fuzz: linking $target" >&2
    if ! swiftc -swift-version 6 -parse-as-library -g -Onone -sanitize=fuzzer,address \
        -module-name "Fuzz_$target" -I "$scratch/debug/Modules" \
        -Xcc -fmodule-map-file="$scratch/debug/CLodestonePluginABI.build/module.modulemap" \
        -Xcc -I -Xcc Sources/CLodestonePluginABI/include \
        "${sources[@]}" "${objects[@]}" -o "$work/bin/$target" >"$work/link-$target.log" 2>&1; then
        grep -v "Cannot export local symbol '__asan" "$work/link-$target.log" >&2 || true
        echo "error: linking the $target fuzzer failed" >&2
        exit 2
    fi
    # The only warnings the link prints are ld.gold's notes about ASan's local symbols.
    if grep -v "Cannot export local symbol '__asan" "$work/link-$target.log" | grep -q .; then
        grep -v "Cannot export local symbol '__asan" "$work/link-$target.log" >&2
    fi
}

# Runs one target for $2 seconds; prints a summary line; returns 1 on a finding that counts.
fuzz() {
    local target="$1" seconds="$2"; shift 2
    local corpus="$work/corpus/$target" artifacts="$work/artifacts/$target" log="$work/$target.log" status=0
    mkdir -p "$corpus" "$artifacts"
    local dict options=(-max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-60}" -rss_limit_mb="${FUZZ_RSS_MB:-4096}"
        -max_len=65536 -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$artifacts/")
    dict="$(dictionary_of "$target")"
    [ -n "$dict" ] && [ -f "$dict" ] && options+=(-dict="$dict")
    echo "fuzz: running $target for ${seconds}s" >&2
    # Swift's own crash backtracer is turned off: libFuzzer and ASan print the stack, and the
    # backtracer can outlive a crashed fuzzer.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}" \
        "$work/bin/$target" "${options[@]}" "$@" "$corpus" "Tests/Fuzz/corpus/$target" >"$log" 2>&1 || status=$?
    local runs
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    if [ "$status" -eq 0 ]; then
        echo "fuzz: $target: ${runs:-?} executions in ${seconds}s, no crash"
        return 0
    fi
    local kind="crash"
    if grep -q "ERROR: libFuzzer: timeout" "$log"; then kind="timeout"; fi
    if grep -q "ERROR: libFuzzer: out-of-memory" "$log"; then kind="out-of-memory"; fi
    echo "fuzz: $target: $kind after ${runs:-?} executions; log $log; input in $artifacts/" >&2
    grep -E "Fatal error|invariant failed|ERROR: (AddressSanitizer|libFuzzer)|SUMMARY" "$log" | head -5 >&2 || true
    if [ "$ci" = 1 ] && [ "$kind" != "crash" ]; then
        echo "fuzz: $target: a $kind is reported but does not fail CI (the machine may just be slow)" >&2
        return 0
    fi
    return 1
}

ci=0
if [ "${1:-}" = "--ci" ]; then ci=1; shift; fi
[ $# -ge 1 ] || usage
mkdir -p "$work"
rm -f "$work/package.json"  # package_closure reads the package as it is now

# Does this toolchain ship libFuzzer? (Linux toolchains do; Xcode's does not.)
probe="$work/probe"
mkdir -p "$probe"
printf '@_cdecl("LLVMFuzzerTestOneInput") public func f(_ d: UnsafePointer<UInt8>, _ n: Int) -> CInt { 0 }\n' >"$probe/probe.swift"
if ! swiftc -parse-as-library -sanitize=fuzzer,address "$probe/probe.swift" -o "$probe/probe" >"$probe/log" 2>&1; then
    if [ "$ci" = 1 ]; then
        echo "warning: this Swift toolchain cannot build libFuzzer targets (swiftc -sanitize=fuzzer); fuzzing skipped" >&2
        exit 0
    fi
    cat "$probe/log" >&2
    echo "error: swiftc -sanitize=fuzzer,address does not work here; the fuzzers need a Swift toolchain with libFuzzer (Linux)" >&2
    exit 2
fi

if [ "$1" = "--build" ]; then
    shift
    targets=("$@")
    [ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
    for target in "${targets[@]}"; do build "$target"; done
    exit 0
fi

target="$1"; shift
if [ "${1:-}" = "--replay" ]; then
    shift
    [ $# -ge 1 ] || usage
    build "$target"
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" exec "$work/bin/$target" -runs=1 "$@"
fi

seconds="${1:-60}"; [ $# -ge 1 ] && shift
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "error: SECONDS must be a whole number, got '$seconds'" >&2; exit 2; }
if [ "$target" = all ]; then
    targets=("${all_targets[@]}")
else
    modules_of "$target" >/dev/null
    targets=("$target")
fi
for t in "${targets[@]}"; do build "$t"; done
failed=0
for t in "${targets[@]}"; do fuzz "$t" "$seconds" "$@" || failed=1; done
exit "$failed"
