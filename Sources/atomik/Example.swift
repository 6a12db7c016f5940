import ArgumentParser
import AtomikExamples

extension Atomik {
    struct Example: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "example",
            abstract: "Run one of the seed articles' programs and check its outcome.",
            discussion: "Exits 1 when the example's outcome did not hold. Examples: \(Examples.names.joined(separator: ", "))."
        )

        @Argument(help: "The example to run (see --list).")
        var name: String?

        @Flag(help: "List the examples with a one-line summary.")
        var list = false

        func validate() throws {
            let valid = "valid names: \(Examples.names.joined(separator: ", "))"
            if list {
                guard name == nil else { throw ValidationError("give an example name or --list, not both") }
                return
            }
            guard let name else { throw ValidationError("missing example name; \(valid)") }
            guard Examples.named(name) != nil else { throw ValidationError("unknown example '\(name)'; \(valid)") }
        }

        func run() throws {
            if list {
                let width = Examples.names.map(\.count).max() ?? 0
                for entry in Examples.all {
                    print(entry.name + String(repeating: " ", count: width - entry.name.count + 2) + entry.summary)
                }
                return
            }
            guard let name, let entry = Examples.named(name) else { return }
            let outcome = entry.run()
            for line in outcome.report { print(line) }
            print("\(entry.name): \(outcome.holds ? "holds" : "DID NOT HOLD")")
            if !outcome.holds { throw ExitCode(1) }
        }
    }
}
