#!/usr/bin/env bash
# A longer, bounded fuzzing campaign over the file readers (.npy,
# safetensors, IDX, gzip) than the one `swift test` runs.
#
#   Scripts/fuzz.sh [SEEDS [ITERATIONS]]     seeded mutation campaign (ReaderFuzzTests)
#   Scripts/fuzz.sh --libfuzzer [SECONDS]    coverage-guided libFuzzer, SECONDS per reader
#
# The first form reruns ReaderFuzzTests for seeds 1…SEEDS (default 20) with
# ITERATIONS inputs per reader and seed (default 50 000): every input must
# parse or throw a typed error, none may take 0.5 s. A crash names its seed;
# rerunning with QUANT_FUZZ_SEED=<seed> reproduces it exactly.
#
# The second builds Scripts/fuzz/ReaderFuzzTarget.swift with the readers'
# sources under `swiftc -sanitize=fuzzer` (libFuzzer ships with the Swift
# toolchain on Linux) and runs each reader for SECONDS (default 60), inputs
# up to 64 KiB, 1 GiB of memory and 5 s per input at most, with the tokens
# and overflow-edge numbers of Scripts/fuzz/readers.dict. The npy-header and
# safetensors-header runs fuzz only the header text, framed by the target,
# since mutations of whole files mostly break the length prefix. Corpora are kept
# in .build/fuzz/corpus-<reader>; each run's log and findings (crash-*,
# timeout-*, oom-* inputs) go to .build/fuzz/findings-<reader>-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--libfuzzer" ]]; then
    seconds="${2:-60}"
    out=.build/fuzz
    mkdir -p "$out"
    q=Sources/Quant
    swiftc -O -sanitize=fuzzer -parse-as-library -module-name ReaderFuzz -I Sources/CZlib -lz \
        Scripts/fuzz/ReaderFuzzTarget.swift \
        "$q"/IO/NumPy/*.swift "$q"/IO/Safetensors/*.swift "$q"/IO/InputFile.swift "$q"/Tensor/*.swift \
        "$q"/Data/SHA256.swift "$q"/Data/IDXArray.swift "$q"/Data/IDXError.swift "$q"/Data/Gzip.swift "$q"/Data/GzipError.swift \
        -o "$out/reader-fuzz"
    status=0
    for reader in npy npy-header safetensors safetensors-header idx gzip; do
        corpus="$out/corpus-$reader" findings="$out/findings-$reader-$(date +%Y%m%d-%H%M%S)"
        mkdir -p "$corpus" "$findings"
        echo "== $reader: libFuzzer for ${seconds} s"
        # SWIFT_BACKTRACE off: Swift's crash reporter would take the signal
        # before libFuzzer's handler saves the input.
        SWIFT_BACKTRACE=enable=no QUANT_FUZZ_READER=$reader QUANT_FUZZ_SEEDS="$corpus" "$out/reader-fuzz" \
            -max_total_time="$seconds" -max_len=65536 -timeout=5 -rss_limit_mb=1024 -dict=Scripts/fuzz/readers.dict \
            -artifact_prefix="$findings/" "$corpus" > "$findings/log.txt" 2>&1 || true
        tail -n 1 "$findings/log.txt"
        if [[ -n "$(ls "$findings" | grep -v '^log.txt$')" ]]; then
            echo "   findings in $findings (add each as a regression test)"
            status=1
        fi
    done
    [[ $status == 0 ]] && echo "libFuzzer: no findings"
    exit $status
fi

seeds="${1:-20}"
iterations="${2:-50000}"
swift build --build-tests
for seed in $(seq 1 "$seeds"); do
    echo "== seed $seed: $iterations inputs per reader"
    if ! QUANT_FUZZ_SEED=$seed QUANT_FUZZ_ITERATIONS=$iterations swift test --skip-build --filter ReaderFuzzTests 2>&1 | tail -1; then
        echo "seed $seed failed: rerun with QUANT_FUZZ_SEED=$seed QUANT_FUZZ_ITERATIONS=$iterations swift test --filter ReaderFuzzTests"
        exit 1
    fi
done
echo "all $seeds seeds passed"
