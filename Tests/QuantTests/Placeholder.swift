import Testing

@Test func placeholderQuant() { #expect(Bool(true)) }
