import ArgumentParser
import CMalloc
import Foundation
import Lessons

@main
struct Learn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "Teaches deep learning by showing every step.",
        discussion: """
        Examples:
          learn list
          learn lesson cnn-mnist
          learn new my-lesson && learn lesson ./my-lesson
          learn bench --json
          learn predict output/workflow --image digit.png
        """,
        subcommands: [ListCommand.self, LessonCommand.self, RenderCommand.self, GalleryCommand.self, HandoutCommand.self,
                       TraceCommand.self, BenchCommand.self, PredictCommand.self, GenerateCommand.self, NewCommand.self,
                       ExportCommand.self, InspectCommand.self])

    /// Parses and runs; a user's mistake becomes one `error:` line on stderr and exit code 1,
    /// never a crash dump. Help and usage errors keep ArgumentParser's handling.
    static func main() {
        keepLargeAllocationsInTheHeap()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard !isParserError(error) else { exit(withError: error) }
            // Foundation's file errors become one plain sentence naming the path.
            let message = FileProblem(error).map(String.init(describing:)) ?? String(describing: error)
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            Foundation.exit(1)
        }
    }

    /// Training allocates tensors of the same large sizes at every step. glibc
    /// serves blocks over 128 KiB with mmap and unmaps them on free, so each step
    /// would pay page faults on fresh zeroed pages; with the threshold at glibc's
    /// 32 MiB maximum the freed blocks stay in the heap and are reused.
    static func keepLargeAllocationsInTheHeap() {
        _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 256 << 20)
    }

    /// Errors that ArgumentParser itself knows how to print (help, usage, validation).
    static func isParserError(_ error: Error) -> Bool {
        error is ValidationError || error is CleanExit || error is ExitCode
            || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }
}
