import Testing
@testable import Notebook

@Suite struct TerminalMarkdownTests {
    private func render(_ markdown: String, styled: Bool = false, width: Int = 40) -> String {
        TerminalMarkdown(console: Console(sink: { _ in }, styled: styled, width: width)).render(markdown)
    }

    @Test func paragraphsWrapAtTheWidthWithoutBreakingCodeSpans() {
        let text = render("The code `q = round(x / scale)` is stored, and the float is recovered later on.", width: 30)
        #expect(text == "The code\n`q = round(x / scale)` is\nstored, and the float is\nrecovered later on.")
        for line in text.split(separator: "\n") { #expect(line.count <= 30) }
        #expect(text.contains("`q = round(x / scale)`"))
    }

    @Test func headingsAreUnderlinedInPlainText() {
        #expect(render("# Title\n## Section\n### Small") == "Title\n═════\n\nSection\n───────\n\nSmall")
    }

    @Test func listsGetBulletsNumbersAndHangingIndents() {
        let text = render("- one\n- a longer item that has to wrap onto the next line\n  * nested\n1. first\n2) second", width: 30)
        #expect(text == """
              • one
              • a longer item that has to
                wrap onto the next line
                • nested

              1. first
              2. second
            """.replacingOccurrences(of: "\n\n", with: "\n"))
    }

    @Test func tablesAlignPerTheSeparatorRow() {
        let text = render("| name | bits |\n|:-----|-----:|\n| int8 | 8 |\n| `int4` | 4 |")
        #expect(text == "  name    bits\n  ──────  ────\n  int8       8\n  `int4`     4")
    }

    @Test func fencedCodeIsIndentedAndNotWrapped() {
        let long = String(repeating: "x", count: 60)
        #expect(render("```swift\nlet \(long) = 1\n```", width: 20) == "    let \(long) = 1")
    }

    @Test func quotesLinksAndBold() {
        #expect(render("> zero must be **exact**") == "  │ zero must be exact")
        #expect(render("see [the paper](https://arxiv.org/abs/1712.05877)", width: 80)
            == "see the paper (https://arxiv.org/abs/1712.05877)")
    }

    @Test func stylingUsesANSIOnlyWhenStyled() {
        #expect(render("`q` and **b**", styled: true) == "\u{1B}[36mq\u{1B}[0m and \u{1B}[1mb\u{1B}[0m")
        #expect(render("`q` and **b**", styled: false) == "`q` and b")
        // Escape codes do not count towards the width: this fits on one 12-column line.
        #expect(render("`abcd` `efgh`", styled: true, width: 12).contains("\n") == false)
    }

    @Test func unrecognisedTextIsKeptAsParagraphText() {
        #expect(render("x*y_z $a$ #tag") == "x*y_z $a$ #tag")
    }
}
