import Testing

@Test func placeholderPlot() { #expect(Bool(true)) }
