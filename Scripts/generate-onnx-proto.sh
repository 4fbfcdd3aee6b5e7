#!/usr/bin/env bash
# Regenerates Sources/ONNXProto/onnx.pb.swift from onnx.proto. Run by hand,
# never by the build or CI: they compile the committed file.
#
#   Scripts/generate-onnx-proto.sh PATH/TO/onnx.proto PATH/TO/protoc-gen-swift ONNX_VERSION
#
# e.g. with the onnx wheel of a venv:
#   Scripts/generate-onnx-proto.sh /tmp/venv/lib/python3.11/site-packages/onnx/onnx.proto \
#       /tmp/swift-protobuf/.build/release/protoc-gen-swift 1.23.2
#
# The committed file was made from onnx.proto of the onnx 1.23.2 PyPI wheel
# (site-packages/onnx/onnx.proto: package onnx, proto2, IR version 14), with
# protoc 3.21.12 and protoc-gen-swift 1.39.0, built from apple/swift-protobuf:
#
#   git clone https://github.com/apple/swift-protobuf && cd swift-protobuf
#   git checkout 1.39.0 && swift build -c release --product protoc-gen-swift
#
# The plugin's version must match the SwiftProtobuf package in Package.swift.
set -euo pipefail

usage="usage: $0 PATH/TO/onnx.proto PATH/TO/protoc-gen-swift ONNX_VERSION"
proto=${1:?$usage}
plugin=${2:?$usage}
version=${3:?$usage}
out="$(cd "$(dirname "$0")/.." && pwd)/Sources/ONNXProto"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp "$proto" "$scratch/onnx.proto"
protoc --plugin=protoc-gen-swift="$plugin" --proto_path="$scratch" \
    --swift_opt=Visibility=Public --swift_opt=FileNaming=DropPath \
    --swift_out="$scratch" "$scratch/onnx.proto"
{
    echo "// onnx.proto (not onnx-ml.proto) of the onnx $version PyPI package, as Swift:"
    echo "// the ONNX model format quant export writes. Regenerate with Scripts/generate-onnx-proto.sh."
    cat "$scratch/onnx.pb.swift"
} > "$out/onnx.pb.swift"
