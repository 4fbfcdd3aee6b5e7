import Plot

/// Plot's figures render to the PNG and SVG bytes a notebook saves and embeds.
extension Figure: NotebookFigure {}
