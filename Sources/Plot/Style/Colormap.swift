/// A map from a number in 0…1 to a colour, by linear interpolation between
/// evenly spaced stops.
///
/// `viridis` is perceptually uniform and readable in grey and by colour-blind
/// readers (use it for magnitudes); `redBlue` is diverging, blue below the
/// centre and red above (use it for signed values such as weights or errors,
/// with a range symmetric about 0); `gray` maps 0 to black and 1 to white
/// (images such as MNIST digits).
///
/// ```swift
/// let map = Colormap.viridis
/// map.color(at: 0.5)        // the middle green-teal of viridis
/// map.reversed().color(at: 0)  // viridis' yellow end
/// ```
public struct Colormap: Sendable, Hashable {
    /// The colours at 0, 1/(n−1), …, 1.
    public var stops: [Color]
    /// Whether the map has a neutral centre; the colour range defaults to
    /// `[−m, m]` with `m = max|value|` so that 0 lands on the centre.
    public var isDiverging: Bool

    public init(stops: [Color], isDiverging: Bool = false) {
        self.stops = stops.isEmpty ? [.black, .white] : stops
        self.isDiverging = isDiverging
    }

    /// The colour at `t`, clamped into 0…1; NaN maps to transparent.
    public func color(at t: Double) -> Color {
        guard !t.isNaN else { return .clear }
        let n = stops.count
        if n == 1 { return stops[0] }
        let u = min(max(t, 0), 1) * Double(n - 1)
        let i = min(Int(u), n - 2)
        return stops[i].mixed(with: stops[i + 1], u - Double(i))
    }

    /// The same map run backwards.
    public func reversed() -> Colormap {
        Colormap(stops: stops.reversed(), isDiverging: isDiverging)
    }

    /// Viridis (van der Walt & Smith, CC0), 33 stops sampled from the
    /// 256-entry table; linear interpolation stays within 2.5/255 of it.
    public static let viridis = Colormap(stops: [
        (0.2670, 0.0049, 0.3294),
        (0.2770, 0.0503, 0.3757),
        (0.2823, 0.0950, 0.4173),
        (0.2829, 0.1359, 0.4534),
        (0.2788, 0.1755, 0.4834),
        (0.2706, 0.2141, 0.5071),
        (0.2590, 0.2515, 0.5247),
        (0.2450, 0.2877, 0.5373),
        (0.2297, 0.3224, 0.5457),
        (0.2143, 0.3556, 0.5512),
        (0.1994, 0.3876, 0.5546),
        (0.1856, 0.4186, 0.5568),
        (0.1727, 0.4488, 0.5579),
        (0.1607, 0.4785, 0.5581),
        (0.1490, 0.5081, 0.5573),
        (0.1378, 0.5375, 0.5549),
        (0.1276, 0.5669, 0.5506),
        (0.1206, 0.5964, 0.5436),
        (0.1206, 0.6258, 0.5335),
        (0.1323, 0.6550, 0.5197),
        (0.1579, 0.6838, 0.5017),
        (0.1966, 0.7118, 0.4792),
        (0.2461, 0.7389, 0.4520),
        (0.3041, 0.7647, 0.4199),
        (0.3692, 0.7889, 0.3829),
        (0.4401, 0.8111, 0.3410),
        (0.5160, 0.8312, 0.2943),
        (0.5958, 0.8487, 0.2433),
        (0.6785, 0.8637, 0.1895),
        (0.7624, 0.8764, 0.1371),
        (0.8456, 0.8873, 0.0997),
        (0.9261, 0.8973, 0.1041),
        (0.9932, 0.9062, 0.1439)
    ].map { Color(red: $0.0, green: $0.1, blue: $0.2) })

    /// ColorBrewer's 11-class RdBu, reversed so that negative is blue and
    /// positive red, with a light grey centre.
    public static let redBlue = Colormap(stops: [
        0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7,
        0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B, 0x67001F,
    ].map { Color(hex: $0) }, isDiverging: true)

    /// Black at 0 to white at 1.
    public static let gray = Colormap(stops: [.black, .white])
}
