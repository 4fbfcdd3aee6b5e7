import Foundation

/// The run as a Jupyter notebook (nbformat 4.5): a title cell, then each
/// markdown cell verbatim and each code cell with its Swift source and its
/// outputs — printed text as a `stream` on stdout, tables as an
/// `execute_result` (`text/plain` and `text/markdown`), figures as
/// `display_data` with the PNG base64-encoded under `image/png` followed by
/// a `display_data` of its caption (`text/markdown`, in italics, and
/// `text/plain`), and a failure as an `error` output.
///
/// The caption is its own output because `jupyter nbconvert --to html`
/// ignores the `image/png` `alt` metadata (it writes "No description has
/// been provided for this image") and shows only one representation per
/// output, the first of its priority list (markdown before PNG): beside the
/// image in one output the caption would hide the figure.
///
/// Written byte for byte the way Jupyter writes notebooks (keys sorted,
/// one-space indent, multi-line text as lists of lines: reading and
/// re-saving with Python's `nbformat` gives the same bytes), with cell ids
/// derived from cell numbers and no timings, so the file is byte-identical
/// on rerun and diffs well. Opening it in Jupyter shows the run without a Swift kernel;
/// the kernelspec names Swift so that tools know the language.
enum IpynbExport {
    static func document(of notebook: Notebook) -> JSONText {
        var cells: [JSONText] = [
            .object(["cell_type": "markdown", "id": "title", "metadata": .object([:]),
                     "source": lines("# " + notebook.info.title)]),
        ]
        for cell in notebook.cells {
            let id = JSONText.string("cell-\(cell.number)")
            switch cell.kind {
            case .markdown:
                cells.append(.object(["cell_type": "markdown", "id": id, "metadata": .object([:]),
                                      "source": lines(cell.markdown)]))
            case .code(let title, let source, let count):
                cells.append(.object([
                    "cell_type": "code", "id": id, "execution_count": .int(count),
                    "metadata": .object(["title": .string(title)]),
                    "source": lines(source),
                    "outputs": .array(cell.outputs.flatMap { outputs(of: $0, executionCount: count) }),
                ]))
            }
        }
        var quant: [String: JSONText] = ["notebook": .string(notebook.info.name), "quick": .bool(notebook.isQuick)]
        if let seed = notebook.seed { quant["seed"] = seed <= UInt64(Int.max) ? .int(Int(seed)) : .string(String(seed)) }
        return .object([
            "cells": .array(cells),
            "metadata": .object([
                "kernelspec": .object(["display_name": "Swift", "language": "swift", "name": "swift"]),
                "language_info": .object(["file_extension": ".swift", "mimetype": "text/x-swift", "name": "swift"]),
                "quant": .object(quant),
            ]),
            "nbformat": .int(4),
            "nbformat_minor": .int(5),
        ])
    }

    private static func outputs(of output: CellOutput, executionCount: Int) -> [JSONText] {
        switch output {
        case .text(let text):
            return [.object(["output_type": "stream", "name": "stdout", "text": lines(text)])]
        case .table(let table):
            return [.object([
                "output_type": "execute_result", "execution_count": .int(executionCount), "metadata": .object([:]),
                "data": .object(["text/plain": lines(table.plainText()), "text/markdown": lines(table.markdown)]),
            ])]
        case .figure(let name, let caption, let png):
            return [
                .object([
                    "output_type": "display_data",
                    "metadata": .object(["image/png": .object(["alt": .string(caption)]), "quant": .object(["figure": .string(name)])]),
                    "data": .object(["image/png": .string(png.base64EncodedString()), "text/plain": lines("<figure \(name)>")]),
                ]),
                .object([
                    "output_type": "display_data",
                    "metadata": .object(["quant": .object(["caption_of": .string(name)])]),
                    "data": .object(["text/markdown": lines("*\(markdownEscaped(caption))*"), "text/plain": lines(caption)]),
                ]),
            ]
        case .error(let type, let message):
            return [.object(["output_type": "error", "ename": .string(type), "evalue": .string(message),
                             "traceback": .array([.string(message)])])]
        }
    }

    /// `text` with a backslash before each character Markdown could read as
    /// markup (emphasis, code, links, HTML), so a caption shows as written.
    private static func markdownEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\`*_[]<>#|".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// Jupyter's multi-line string form: a list of lines, each keeping its
    /// `\n` except the last.
    private static func lines(_ text: String) -> JSONText {
        var parts = text.components(separatedBy: "\n")
        if parts.last == "" { parts.removeLast() }
        let hadFinalNewline = text.hasSuffix("\n")
        return .array(parts.enumerated().map { i, line in
            .string(i + 1 < parts.count || hadFinalNewline ? line + "\n" : line)
        })
    }
}

extension JSONText: ExpressibleByStringLiteral {
    init(stringLiteral value: String) { self = .string(value) }
}
