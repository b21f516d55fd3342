import ArgumentParser

@main
struct Learn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "Teaches deep learning by showing every step.",
        subcommands: [BenchCommand.self])
}
