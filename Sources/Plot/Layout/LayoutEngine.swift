import Foundation

/// Computes where every part of a figure goes.
///
/// Like matplotlib's constrained layout, it sizes the blank space around each
/// plot area from the text actually there (tick labels, axis labels, titles,
/// colour bars, an outside legend), takes the widest need per grid column and
/// the tallest per row, and gives the rest of the canvas to equal plot areas.
/// Tick choice depends on the plot size and the text depends on the ticks, so
/// it repeats until the needs stop growing (two or three rounds).
struct LayoutEngine {
    let figure: Figure
    let canvas: Canvas
    var theme: Theme { figure.theme }

    func run() throws -> (FigureLayout, [ResolvedPanel]) {
        try figure.validate()
        let width = figure.width * 72, height = figure.height * 72
        var panels = try resolvePanels()
        let pad = theme.figurePad
        var titleBox: Rect?
        var top = pad
        if let title = figure.title {
            titleBox = canvas.textBox(title, at: Point(x: width / 2, y: pad), size: theme.figureTitleSize,
                                      horizontal: .center, vertical: .top)
            top += titleBox!.height + theme.titlePad
        }
        let rows = figure.rows, columns = figure.columns
        let gap = theme.panelGap
        var plotWidth = (width - 2 * pad) / Double(columns) * 0.75
        var plotHeight = (height - top - pad) / Double(rows) * 0.75
        var columnInsets = [Insets](repeating: Insets(), count: columns)
        var rowInsets = [Insets](repeating: Insets(), count: rows)
        for _ in 0..<4 {
            var newColumns = [Insets](repeating: Insets(), count: columns)
            var newRows = [Insets](repeating: Insets(), count: rows)
            for i in panels.indices {
                let inset = insets(&panels[i], width: plotWidth, height: plotHeight)
                let (r, c) = (panels[i].row, panels[i].column)
                newColumns[c].left = max(newColumns[c].left, inset.left)
                newColumns[c].right = max(newColumns[c].right, inset.right)
                newRows[r].top = max(newRows[r].top, inset.top)
                newRows[r].bottom = max(newRows[r].bottom, inset.bottom)
            }
            let grew = zip(newColumns, columnInsets).contains { $0.left > $1.left + 0.01 || $0.right > $1.right + 0.01 }
                || zip(newRows, rowInsets).contains { $0.top > $1.top + 0.01 || $0.bottom > $1.bottom + 0.01 }
            columnInsets = newColumns
            rowInsets = newRows
            plotWidth = (width - 2 * pad - columnInsets.reduce(0) { $0 + $1.left + $1.right } - Double(columns - 1) * gap) / Double(columns)
            plotHeight = (height - top - pad - rowInsets.reduce(0) { $0 + $1.top + $1.bottom } - Double(rows - 1) * gap) / Double(rows)
            guard plotWidth >= 12, plotHeight >= 12 else {
                throw PlotError.invalidFigure(reason: "\(figure.width) × \(figure.height) in is too small for the labels of a \(rows) × \(columns) grid (plot areas would be \(Int(plotWidth)) × \(Int(plotHeight)) pt); enlarge the figure or shorten labels")
            }
            if !grew { break }
        }
        for i in panels.indices {
            let (r, c) = (panels[i].row, panels[i].column)
            var x = pad
            for k in 0..<c { x += columnInsets[k].left + plotWidth + columnInsets[k].right + gap }
            x += columnInsets[c].left
            var y = top
            for k in 0..<r { y += rowInsets[k].top + plotHeight + rowInsets[k].bottom + gap }
            y += rowInsets[r].top
            var plot = Rect(x: x, y: y, width: plotWidth, height: plotHeight)
            if panels[i].equalAspect {
                plot = equalAspect(plot, panels[i])
                _ = insets(&panels[i], width: plot.width, height: plot.height)
            }
            place(&panels[i], plot: plot)
        }
        let layout = FigureLayout(canvas: Rect(x: 0, y: 0, width: width, height: height),
                                  title: titleBox, panels: panels.map(\.layout))
        return (layout, panels)
    }

    // MARK: Limits and colours

    private func resolvePanels() throws -> [ResolvedPanel] {
        let extents = figure.panels.map { $0.marks.map { $0.extent() } }
        let all = extents.flatMap { $0 }
        var panels: [ResolvedPanel] = []
        for (index, axes) in figure.panels.enumerated() {
            let own = extents[index]
            let xSource = figure.sharesX ? all : own
            let ySource = figure.sharesY ? all : own
            let xCategories = axes.x.categories ?? own.lazy.compactMap(\.xCategories).first { !$0.isEmpty }
            let yCategories = axes.y.categories ?? own.lazy.compactMap(\.yCategories).first { !$0.isEmpty }
            let (xl, xu) = try ResolvedAxis.limits(
                axis: axes.x, name: "x", ranges: xSource.compactMap(\.x), sticky: xSource.flatMap(\.stickyX),
                headroom: xSource.map(\.xHeadroom).max() ?? 0, categoryCount: xCategories?.count)
            let (yl, yu) = try ResolvedAxis.limits(
                axis: axes.y, name: "y", ranges: ySource.compactMap(\.y), sticky: ySource.flatMap(\.stickyY),
                headroom: ySource.map(\.yHeadroom).max() ?? 0, categoryCount: yCategories?.count)
            let row = index / figure.columns, column = index % figure.columns
            let hideX = figure.sharesX && index + figure.columns < figure.panels.count
            let hideY = figure.sharesY && column > 0
            var x = ResolvedAxis(scale: axes.x.scale, lower: xl, upper: xu, inverted: axes.x.inverted,
                                 categories: xCategories, format: axes.x.format, explicitTicks: axes.x.ticks,
                                 explicitLabels: axes.x.tickLabels, showsTickLabels: axes.x.showsTickLabels && !hideX,
                                 label: hideX ? nil : axes.x.label)
            x.integerSteps = own.contains(where: \.integerTicks)
            let invertsY = own.contains(where: \.invertsY)
            var y = ResolvedAxis(scale: axes.y.scale, lower: yl, upper: yu, inverted: axes.y.inverted != invertsY,
                                 categories: yCategories, format: axes.y.format, explicitTicks: axes.y.ticks,
                                 explicitLabels: axes.y.tickLabels, showsTickLabels: axes.y.showsTickLabels && !hideY,
                                 label: hideY ? nil : axes.y.label)
            y.integerSteps = x.integerSteps
            var slot = 0
            var colors: [[Color]] = []
            var entries: [LegendEntry] = []
            for mark in axes.marks {
                let assigned = (0..<max(0, mark.paletteSlots)).map { theme.seriesColor(slot + $0) }
                slot += max(0, mark.paletteSlots)
                colors.append(assigned)
                entries += mark.legendEntries(theme: theme, colors: assigned)
            }
            let colorBar = axes.showsColorBar ? axes.marks.lazy.compactMap(\.colorBar).first : nil
            let colorBarAxis = colorBar.map { bar in
                var axis = ResolvedAxis(scale: .linear, lower: bar.range.lowerBound, upper: bar.range.upperBound, inverted: false,
                                        categories: nil, format: bar.format, explicitTicks: nil, explicitLabels: nil,
                                        showsTickLabels: true, label: bar.label)
                if case .integer = bar.format { axis.integerSteps = true }
                return axis
            }
            let placeholder = AxisTransform(scale: .linear, lower: 0, upper: 1, start: 0, end: 1)
            panels.append(ResolvedPanel(
                axes: axes, row: row, column: column, x: x, y: y, colors: colors, legendEntries: entries,
                colorBar: colorBar, colorBarAxis: colorBarAxis, equalAspect: own.contains(where: \.equalAspect),
                layout: PanelLayout(plotArea: Rect(x: 0, y: 0, width: 0, height: 0)),
                xTransform: placeholder, yTransform: placeholder))
        }
        return panels
    }

    // MARK: Space around a plot

    private var tickLabelHeight: Double { canvas.measure("0", size: theme.fontSize).height }

    private static let colorBarPad = 10.0
    private static let colorBarWidth = 12.0
    private var legendOutsidePad: Double { theme.fontSize * 0.8 }

    /// The space `panel` needs around a `width × height` plot area; chooses
    /// its ticks for that size on the way.
    private func insets(_ panel: inout ResolvedPanel, width: Double, height: Double) -> Insets {
        let fs = theme.fontSize
        var inset = Insets()
        if panel.axes.showsFrame {
            panel.x.chooseTicks(length: width, minSpacing: 40, canvas: canvas, fontSize: fs, horizontal: true)
            panel.y.chooseTicks(length: height, minSpacing: 38, canvas: canvas, fontSize: fs, horizontal: false)
            let xTransform = panel.x.transform(from: 0, to: width)
            let yTransform = panel.y.transform(from: height, to: 0)
            inset.bottom = theme.tickLength
            inset.left = theme.tickLength
            if panel.x.showsTickLabels, panel.x.rotatedLabels {
                inset.bottom += theme.tickPad + (panel.x.ticks.map { canvas.measure($0.label, size: fs).width }.max() ?? 0)
            } else if panel.x.showsTickLabels, !panel.x.ticks.isEmpty {
                let heights = panel.x.ticks.map { canvas.measure($0.label, size: fs).height }
                inset.bottom += theme.tickPad + (heights.max() ?? 0)
                for tick in panel.x.ticks {
                    let half = canvas.measure(tick.label, size: fs).width / 2
                    let p = xTransform.position(tick.value)
                    inset.left = max(inset.left, half - p)
                    inset.right = max(inset.right, p + half - width)
                }
            }
            if let label = panel.x.label {
                inset.bottom += theme.labelPad + canvas.measure(label, size: fs).height
            }
            var yLabelsWidth = 0.0
            if panel.y.showsTickLabels, !panel.y.ticks.isEmpty {
                yLabelsWidth = panel.y.ticks.map { canvas.measure($0.label, size: fs).width }.max() ?? 0
                for tick in panel.y.ticks {
                    let m = canvas.measure(tick.label, size: fs)
                    let p = yTransform.position(tick.value)
                    // Labels are centred on the digits' middle, 0.365 em above the baseline.
                    inset.top = max(inset.top, m.ascent - 0.365 * fs - p)
                    inset.bottom = max(inset.bottom, p + 0.365 * fs + m.descent - height)
                }
            }
            var left = theme.tickLength + (yLabelsWidth > 0 ? theme.tickPad + yLabelsWidth : 0)
            if let label = panel.y.label {
                left += theme.labelPad + canvas.measure(label, size: fs).height
            }
            inset.left = max(inset.left, left)
        }
        if let title = panel.axes.title {
            inset.top = max(inset.top, theme.titlePad + canvas.measure(title, size: titleSize(panel)).height)
        }
        if panel.colorBarAxis != nil {
            panel.colorBarAxis!.chooseTicks(length: height, minSpacing: 38, canvas: canvas, fontSize: fs, horizontal: false)
            let axis = panel.colorBarAxis!
            let widest = axis.ticks.map { canvas.measure($0.label, size: fs).width }.max() ?? 0
            var need = Self.colorBarPad + Self.colorBarWidth + theme.tickLength + theme.tickPad + widest
            if let label = axis.label { need += theme.labelPad + canvas.measure(label, size: fs).height }
            inset.right = max(inset.right, need)
            let half = tickLabelHeight / 2
            inset.top = max(inset.top, half)
            inset.bottom = max(inset.bottom, half)
        }
        if panel.showsLegend, panel.axes.legend == .outsideRight {
            let size = legendSize(panel.legendEntries)
            let colorBarNeed = inset.right
            inset.right = max(inset.right, (panel.colorBarAxis == nil ? 0 : colorBarNeed) + legendOutsidePad + size.width)
        }
        return inset
    }

    private func titleSize(_ panel: ResolvedPanel) -> Double {
        panel.axes.showsFrame ? theme.titleSize : theme.fontSize
    }

    /// Shrinks `plot` about its centre so one data unit is as long on x as on y.
    private func equalAspect(_ plot: Rect, _ panel: ResolvedPanel) -> Rect {
        let dx = abs(panel.x.scale.transform(panel.x.upper) - panel.x.scale.transform(panel.x.lower))
        let dy = abs(panel.y.scale.transform(panel.y.upper) - panel.y.scale.transform(panel.y.lower))
        guard dx > 0, dy > 0 else { return plot }
        let ratio = dx / dy
        if plot.width / plot.height > ratio {
            let w = plot.height * ratio
            return Rect(x: plot.midX - w / 2, y: plot.y, width: w, height: plot.height)
        }
        let h = plot.width / ratio
        return Rect(x: plot.x, y: plot.midY - h / 2, width: plot.width, height: h)
    }

    // MARK: Final boxes

    private func place(_ panel: inout ResolvedPanel, plot: Rect) {
        let fs = theme.fontSize
        var layout = PanelLayout(plotArea: plot)
        panel.xTransform = panel.x.transform(from: plot.minX, to: plot.maxX)
        panel.yTransform = panel.y.transform(from: plot.maxY, to: plot.minY)
        if panel.axes.showsFrame {
            let labelTop = plot.maxY + theme.tickLength + theme.tickPad
            var xLabelsHeight = 0.0
            layout.xTicks = panel.x.ticks.map { tick in
                let p = panel.xTransform.position(tick.value)
                guard panel.x.showsTickLabels else { return TickLayout(value: tick.value, label: "", position: p, labelBox: nil) }
                let rotated = panel.x.rotatedLabels
                let box = rotated
                    ? canvas.textBox(tick.label, at: Point(x: p, y: labelTop), size: fs, horizontal: .right, vertical: .center, rotated: true)
                    : canvas.textBox(tick.label, at: Point(x: p, y: labelTop), size: fs, horizontal: .center, vertical: .top)
                xLabelsHeight = max(xLabelsHeight, box.height)
                return TickLayout(value: tick.value, label: tick.label, position: p, labelBox: box, rotated: rotated)
            }
            if let label = panel.x.label {
                let top = labelTop + (xLabelsHeight > 0 ? xLabelsHeight : -theme.tickPad) + theme.labelPad
                layout.xLabel = canvas.textBox(label, at: Point(x: plot.midX, y: top), size: fs, horizontal: .center, vertical: .top)
            }
            let labelRight = plot.minX - theme.tickLength - theme.tickPad
            var yLabelsWidth = 0.0
            layout.yTicks = panel.y.ticks.map { tick in
                let p = panel.yTransform.position(tick.value)
                guard panel.y.showsTickLabels else { return TickLayout(value: tick.value, label: "", position: p, labelBox: nil) }
                let box = canvas.textBox(tick.label, at: Point(x: labelRight, y: p), size: fs, horizontal: .right, vertical: .center)
                yLabelsWidth = max(yLabelsWidth, box.width)
                return TickLayout(value: tick.value, label: tick.label, position: p, labelBox: box)
            }
            if let label = panel.y.label {
                let right = labelRight - (yLabelsWidth > 0 ? yLabelsWidth : -theme.tickPad) - theme.labelPad
                layout.yLabel = canvas.textBox(label, at: Point(x: right, y: plot.midY), size: fs,
                                               horizontal: .center, vertical: .bottom, rotated: true)
            }
        }
        if let title = panel.axes.title {
            layout.title = canvas.textBox(title, at: Point(x: plot.midX, y: plot.minY - theme.titlePad),
                                          size: titleSize(panel), horizontal: .center, vertical: .bottom)
        }
        var rightEdge = plot.maxX
        if let axis = panel.colorBarAxis {
            let bar = Rect(x: plot.maxX + Self.colorBarPad, y: plot.minY, width: Self.colorBarWidth, height: plot.height)
            layout.colorBar = bar
            let t = axis.transform(from: bar.maxY, to: bar.minY)
            let labelLeft = bar.maxX + theme.tickLength + theme.tickPad
            var widest = 0.0
            layout.colorBarTicks = axis.ticks.map { tick in
                let p = t.position(tick.value)
                let box = canvas.textBox(tick.label, at: Point(x: labelLeft, y: p), size: fs, horizontal: .left, vertical: .center)
                widest = max(widest, box.width)
                return TickLayout(value: tick.value, label: tick.label, position: p, labelBox: box)
            }
            rightEdge = labelLeft + widest
            if let label = axis.label {
                layout.colorBarLabel = canvas.textBox(label, at: Point(x: labelLeft + widest + theme.labelPad, y: bar.midY),
                                                      size: fs, horizontal: .center, vertical: .top, rotated: true)
                rightEdge = layout.colorBarLabel!.maxX
            }
        }
        panel.layout = layout
        if panel.showsLegend {
            panel.layout.legend = legendBox(panel, rightEdge: rightEdge)
        }
    }

    // MARK: Legend

    /// Legend metrics in em of the font size, as in matplotlib: border
    /// padding 0.4, key 2 wide, 0.8 between key and text, 0.5 between rows.
    struct LegendMetrics {
        var pad: Double
        var keyWidth: Double
        var keyGap: Double
        var rowGap: Double
        var rowHeight: Double
    }

    func legendMetrics() -> LegendMetrics {
        let fs = theme.fontSize
        return LegendMetrics(pad: 0.4 * fs, keyWidth: 2 * fs, keyGap: 0.8 * fs, rowGap: 0.5 * fs,
                             rowHeight: max(canvas.measure("Ag", size: fs).height, theme.markerSize))
    }

    func legendSize(_ entries: [LegendEntry]) -> (width: Double, height: Double) {
        let m = legendMetrics()
        let widest = entries.map { canvas.measure($0.label, size: theme.fontSize).width }.max() ?? 0
        let n = Double(entries.count)
        return (2 * m.pad + m.keyWidth + m.keyGap + widest, 2 * m.pad + n * m.rowHeight + max(0, n - 1) * m.rowGap)
    }

    private func legendBox(_ panel: ResolvedPanel, rightEdge: Double) -> Rect {
        let size = legendSize(panel.legendEntries)
        let plot = panel.layout.plotArea
        let inset = theme.fontSize * 0.5
        func box(_ placement: LegendPlacement) -> Rect {
            let left = plot.minX + inset, right = plot.maxX - inset - size.width, midX = plot.midX - size.width / 2
            let top = plot.minY + inset, bottom = plot.maxY - inset - size.height, midY = plot.midY - size.height / 2
            switch placement {
            case .upperRight, .best, .hidden: return Rect(x: right, y: top, width: size.width, height: size.height)
            case .upperLeft: return Rect(x: left, y: top, width: size.width, height: size.height)
            case .lowerLeft: return Rect(x: left, y: bottom, width: size.width, height: size.height)
            case .lowerRight: return Rect(x: right, y: bottom, width: size.width, height: size.height)
            case .upperCenter: return Rect(x: midX, y: top, width: size.width, height: size.height)
            case .lowerCenter: return Rect(x: midX, y: bottom, width: size.width, height: size.height)
            case .centerLeft: return Rect(x: left, y: midY, width: size.width, height: size.height)
            case .centerRight: return Rect(x: right, y: midY, width: size.width, height: size.height)
            case .outsideRight:
                return Rect(x: rightEdge + legendOutsidePad, y: plot.minY, width: size.width, height: size.height)
            }
        }
        guard panel.axes.legend == .best else { return box(panel.axes.legend) }
        let obstacles = panel.axes.marks.indices.flatMap { i in
            panel.axes.marks[i].obstacles(in: panel.context(canvas: canvas, theme: theme, markIndex: i))
        }
        let candidates: [LegendPlacement] = [.upperRight, .upperLeft, .lowerLeft, .lowerRight, .centerRight,
                                             .centerLeft, .lowerCenter, .upperCenter]
        var best = box(.upperRight)
        var fewest = Int.max
        for placement in candidates {
            let candidate = box(placement)
            // Grown by a marker's radius: a marker just outside still touches the frame.
            let reach = candidate.insetBy(-theme.markerSize / 2)
            let covered = obstacles.reduce(0) { $0 + (reach.contains($1) ? 1 : 0) }
            if covered < fewest {
                fewest = covered
                best = candidate
            }
        }
        return best
    }
}
