extension LowBitLinear: CheckpointableLayer {
    public static let kind = "lowbit-linear"

    /// The value of `quant.<name>.weight_layout`: the codes are stored in
    /// ``BitPackedWeights``' layout (the C header's `igemm_pack_bits`).
    public static let storedLayout = "igemm_pack_bits"

    /// `name.weight_packed` U8 `[out, ceil(in · bits / 8)]` (the bit-packed
    /// codes, rows on byte boundaries, the first code in the lowest bits),
    /// `name.weight_scale` F32 `[out, groups]` (one scale per group of each
    /// row; `[out, 1]` per row, `[1]` per tensor), `name.bias` F32 `[out]`,
    /// and in the metadata `quant.<name>.weight_format` (``WeightFormat``'s
    /// description, `int4/g32`) and `quant.<name>.weight_layout`
    /// (``storedLayout``). An int4/g32 layer takes 5 bits per weight, about
    /// 1/6 of the FP32 checkpoint.
    ///
    /// In Python (int4): `b = f.get_tensor("fc1.weight_packed")`;
    /// `q = np.stack([b & 15, b >> 4], -1).reshape(out, -1)[:, :in].astype(np.int8)`;
    /// `q[q > 7] -= 16`; then multiply each group of `g` columns by its scale.
    public func store(in file: inout Safetensors, name: String) {
        let stored = weights.stored
        let packed = Tensor(unchecked: [outputFeatures, stored.bytesPerRow], scalars: stored.bytes)
        let groups = format.groupsPerRow(inFeatures: inputFeatures)
        let scaleShape = stored.scales.count == outputFeatures * groups ? [outputFeatures, groups] : [stored.scales.count]
        file[name + ".weight_packed"] = SafetensorsTensor(packed)
        file[name + ".weight_scale"] = SafetensorsTensor(Tensor(unchecked: scaleShape, scalars: stored.scales))
        file[name + ".bias"] = SafetensorsTensor(Tensor(bias))
        file.metadata["quant.\(name).weight_format"] = format.description
        file.metadata["quant.\(name).weight_layout"] = Self.storedLayout
    }

    public init(from file: Safetensors, name: String, inputFeatures: Int) throws(ModelError) {
        let formatKey = "quant.\(name).weight_format", layoutKey = "quant.\(name).weight_layout"
        guard let text = file.metadata[formatKey] else { throw .missingParameter(name: formatKey) }
        guard let format = WeightFormat(text) else { throw .unsupportedWeightScheme(text) }
        guard let layout = file.metadata[layoutKey] else { throw .missingParameter(name: layoutKey) }
        guard layout == Self.storedLayout else { throw .unsupportedWeightScheme("\(text) in layout \(layout)") }
        let rowBytes = (inputFeatures * format.bitsPerCode + 7) / 8
        let packed = try file.parameter(name + ".weight_packed", as: UInt8.self, columns: rowBytes)
        let out = packed.shape[0]
        let scales = try file.parameter(name + ".weight_scale", as: Float.self)
        let bias = try file.parameter(name + ".bias", as: Float.self, shape: [out])
        let stored: BitPackedWeights
        do {
            stored = try BitPackedWeights(bytes: packed.scalars, outFeatures: out, inFeatures: inputFeatures,
                                          scales: scales.scalars, format: format)
        } catch {
            throw .kernel(error)
        }
        try self.init(weights: stored, bias: bias.scalars)
    }
}
