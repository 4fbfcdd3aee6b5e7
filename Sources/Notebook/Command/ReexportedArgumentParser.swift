/// A notebook is a command (`@OptionGroup`, `@Option`, `@Flag` come from
/// ArgumentParser), so `import Notebook` brings ArgumentParser with it: a
/// notebook's source starts with the one import it is about.
@_exported import ArgumentParser
