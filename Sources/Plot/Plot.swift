// Placeholder: the Plot library is built in its own branch.
public enum PlotPlaceholder {}
