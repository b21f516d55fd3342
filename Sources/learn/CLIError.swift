/// A command-line mistake with the one line `learn` prints for it.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
