/// Draws a laid-out figure onto a canvas: for each panel the grid, the
/// marks (clipped to the plot area), the frame, ticks and labels, the colour
/// bar and the legend; then the figure title.
struct FigureRenderer {
    let figure: Figure
    let canvas: Canvas
    var theme: Theme { figure.theme }

    func draw() throws -> FigureLayout {
        let (layout, panels) = try LayoutEngine(figure: figure, canvas: canvas).run()
        canvas.fill(layout.canvas, color: theme.background)
        for panel in panels { drawPanel(panel) }
        if let title = figure.title {
            canvas.drawText(title, at: Point(x: layout.canvas.midX, y: theme.figurePad), size: theme.figureTitleSize,
                            color: theme.textColor, horizontal: .center, vertical: .top)
        }
        return layout
    }

    private func drawPanel(_ panel: ResolvedPanel) {
        let plot = panel.layout.plotArea
        if panel.axes.showsFrame { drawGrid(panel) }
        for (i, mark) in panel.axes.marks.enumerated() {
            let context = panel.context(canvas: canvas, theme: theme, markIndex: i)
            canvas.withSavedState {
                if mark.clipsToPlotArea { canvas.clip(to: plot) }
                mark.draw(in: context)
            }
        }
        if panel.axes.showsFrame { drawFrame(panel) }
        let fs = theme.fontSize
        let layout = panel.layout
        for tick in layout.xTicks + layout.yTicks + layout.colorBarTicks {
            if let box = tick.labelBox, tick.rotated {
                canvas.drawText(tick.label, at: Point(x: tick.position, y: box.minY), size: fs, color: theme.textColor,
                                horizontal: .right, vertical: .center, rotated: true)
            } else if let box = tick.labelBox {
                canvas.drawText(tick.label, at: Point(x: box.minX, y: box.minY), size: fs, color: theme.textColor,
                                horizontal: .left, vertical: .top)
            }
        }
        if let box = layout.xLabel, let text = panel.x.label {
            canvas.drawText(text, at: Point(x: box.midX, y: box.minY), size: fs, color: theme.textColor, horizontal: .center, vertical: .top)
        }
        if let box = layout.yLabel, let text = panel.y.label {
            canvas.drawText(text, at: Point(x: box.maxX, y: box.midY), size: fs, color: theme.textColor,
                            horizontal: .center, vertical: .bottom, rotated: true)
        }
        if let box = layout.title, let text = panel.axes.title {
            let size = panel.axes.showsFrame ? theme.titleSize : theme.fontSize
            canvas.drawText(text, at: Point(x: box.midX, y: box.minY), size: size, color: theme.textColor, horizontal: .center, vertical: .top)
        }
        if let bar = layout.colorBar, let colorBar = panel.colorBar { drawColorBar(bar, colorBar, panel) }
        if let box = layout.legend { drawLegend(box, entries: panel.legendEntries) }
    }

    private func drawGrid(_ panel: ResolvedPanel) {
        let plot = panel.layout.plotArea
        var horizontal = false, vertical = false
        switch panel.axes.grid {
        case .automatic:
            horizontal = panel.y.categories == nil
            vertical = panel.x.categories == nil
        case .both: (horizontal, vertical) = (true, true)
        case .horizontal: horizontal = true
        case .vertical: vertical = true
        case .none: break
        }
        let w = theme.gridWidth
        canvas.setColor(theme.gridColor)
        canvas.setLineWidth(w)
        if vertical {
            for tick in panel.layout.xTicks {
                let x = canvas.snap(tick.position, lineWidth: w)
                canvas.move(to: Point(x: x, y: plot.minY))
                canvas.line(to: Point(x: x, y: plot.maxY))
            }
        }
        if horizontal {
            for tick in panel.layout.yTicks {
                let y = canvas.snap(tick.position, lineWidth: w)
                canvas.move(to: Point(x: plot.minX, y: y))
                canvas.line(to: Point(x: plot.maxX, y: y))
            }
        }
        canvas.stroke()
    }

    private func drawFrame(_ panel: ResolvedPanel) {
        let plot = panel.layout.plotArea
        let w = theme.spineWidth
        canvas.setColor(theme.spineColor)
        canvas.setLineWidth(w)
        let x0 = canvas.snap(plot.minX, lineWidth: w), x1 = canvas.snap(plot.maxX, lineWidth: w)
        let y0 = canvas.snap(plot.minY, lineWidth: w), y1 = canvas.snap(plot.maxY, lineWidth: w)
        canvas.rectangle(Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0))
        canvas.stroke()
        let length = theme.tickLength
        for tick in panel.layout.xTicks {
            let x = canvas.snap(tick.position, lineWidth: w)
            canvas.move(to: Point(x: x, y: y1)); canvas.line(to: Point(x: x, y: y1 + length))
        }
        for tick in panel.layout.yTicks {
            let y = canvas.snap(tick.position, lineWidth: w)
            canvas.move(to: Point(x: x0, y: y)); canvas.line(to: Point(x: x0 - length, y: y))
        }
        canvas.stroke()
        // Minor ticks (log axes): shorter and thinner, no labels.
        canvas.setLineWidth(w * 0.75)
        for v in panel.x.minor {
            let x = canvas.snap(panel.xTransform.position(v), lineWidth: w * 0.75)
            canvas.move(to: Point(x: x, y: y1)); canvas.line(to: Point(x: x, y: y1 + length * 0.6))
        }
        for v in panel.y.minor {
            let y = canvas.snap(panel.yTransform.position(v), lineWidth: w * 0.75)
            canvas.move(to: Point(x: x0, y: y)); canvas.line(to: Point(x: x0 - length * 0.6, y: y))
        }
        canvas.stroke()
    }

    private func drawColorBar(_ bar: Rect, _ colorBar: ColorBar, _ panel: ResolvedPanel) {
        let steps = 256
        canvas.drawImage(width: 1, height: steps, in: bar) { row, _ in
            colorBar.colormap.color(at: 1 - (Double(row) + 0.5) / Double(steps))
        }
        let w = theme.spineWidth
        canvas.setColor(theme.spineColor)
        canvas.setLineWidth(w)
        canvas.rectangle(bar)
        for tick in panel.layout.colorBarTicks {
            let y = canvas.snap(tick.position, lineWidth: w)
            canvas.move(to: Point(x: bar.maxX, y: y)); canvas.line(to: Point(x: bar.maxX + theme.tickLength, y: y))
        }
        canvas.stroke()
        if let box = panel.layout.colorBarLabel, let label = colorBar.label {
            canvas.drawText(label, at: Point(x: box.minX, y: box.midY), size: theme.fontSize, color: theme.textColor,
                            horizontal: .center, vertical: .top, rotated: true)
        }
    }

    private func drawLegend(_ box: Rect, entries: [LegendEntry]) {
        let m = LayoutEngine(figure: figure, canvas: canvas).legendMetrics()
        canvas.fill(box, color: theme.background.opacity(0.85))
        canvas.setColor(Color(hex: 0xCCCCCC))
        canvas.setLineWidth(0.8)
        canvas.rectangle(box)
        canvas.stroke()
        var y = box.minY + m.pad
        for entry in entries {
            let mid = y + m.rowHeight / 2
            let key = Rect(x: box.minX + m.pad, y: mid - m.rowHeight / 2, width: m.keyWidth, height: m.rowHeight)
            drawKey(entry.key, in: key)
            canvas.drawText(entry.label, at: Point(x: key.maxX + m.keyGap, y: mid), size: theme.fontSize,
                            color: theme.textColor, horizontal: .left, vertical: .center)
            y += m.rowHeight + m.rowGap
        }
    }

    private func drawKey(_ key: LegendEntry.Key, in rect: Rect) {
        let mid = Point(x: rect.midX, y: rect.midY)
        switch key {
        case .line(let color, let width, let dash, let marker):
            canvas.strokeLine(from: Point(x: rect.minX, y: mid.y), to: Point(x: rect.maxX, y: mid.y),
                              color: color, width: width, dash: dash)
            if let shape = marker.shape {
                canvas.drawMarker(shape, at: mid, size: marker.size ?? theme.markerSize, fill: color)
            }
        case .patch(let fill, let edge):
            let h = theme.fontSize * 0.7
            let patch = Rect(x: rect.minX, y: mid.y - h / 2, width: rect.width, height: h)
            canvas.fill(patch, color: fill)
            if let edge {
                canvas.setColor(edge); canvas.setLineWidth(0.8); canvas.rectangle(patch); canvas.stroke()
            }
        case .marker(let marker, let color):
            canvas.drawMarker(marker.shape ?? .circle, at: mid, size: marker.size ?? theme.markerSize, fill: color)
        }
    }
}
