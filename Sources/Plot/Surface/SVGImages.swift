/// Marks every raster in an SVG for nearest-neighbour scaling.
///
/// Plot paints rasters (heatmap cells, digit images, colour-bar ramps) with
/// sharp pixel edges, and Cairo's PDF output says so (`/Interpolate false`),
/// but Cairo 1.16's SVG `<image>` carries no hint, so browsers would blur a
/// 10 × 10 confusion matrix into a smudge. This adds the SVG 1.1 attribute
/// (`image-rendering="optimizeSpeed"`, honoured by Inkscape and Firefox) and
/// the CSS value browsers use (`image-rendering: pixelated`) to each `<image`.
/// Viewers that ignore both (librsvg, so `rsvg-convert`) are covered by
/// `Canvas.drawImage`, which embeds rasters already upscaled into blocks.
///
/// ```swift
/// SVGImages.pixelated(Array(#"<image width="10"/>"#.utf8))
/// // <image image-rendering="optimizeSpeed" style="image-rendering:pixelated" width="10"/>
/// ```
enum SVGImages {
    private static let tag = Array("<image ".utf8)
    private static let replacement = Array(#"<image image-rendering="optimizeSpeed" style="image-rendering:pixelated" "#.utf8)

    static func pixelated(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "<"), i + tag.count <= bytes.count, bytes[i..<(i + tag.count)].elementsEqual(tag) {
                out += replacement
                i += tag.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }
}
