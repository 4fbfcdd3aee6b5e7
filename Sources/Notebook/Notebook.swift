// Placeholder: the notebook runtime is built in its own branch.
public enum NotebookPlaceholder {}
