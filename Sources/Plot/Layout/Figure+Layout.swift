extension Figure {
    /// Where each part lands, as used for drawing (for tests and checks).
    public func layout() throws -> FigureLayout {
        try Surface.measuring(theme: theme) { try LayoutEngine(figure: self, canvas: $0).run().0 }
    }
}
