import ArgumentParser
import AtomikProgram

extension Atomik {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Execute a program and print one line per READ and SWAP result.",
            discussion: """
            Result lines are `INDEX MNEMONIC ADDR 0xVALUE`: the 0-based index of the \
            operation (idle cycles not counted), the mnemonic, the context address in \
            decimal and the value in lower-case hex padded to ceil(W/4) digits. \
            With --final, `final ADDR 0xVALUE` follows for every non-zero state.
            """
        )

        @Argument(help: "Program file, text or binary; '-' reads standard input.")
        var program: String

        @OptionGroup var design: DesignOptions

        @Flag(help: "After the results, print the final non-zero state of every context.")
        var final = false

        func run() throws {
            let source = try ProgramSource(path: program, options: design.programOptions)
            _ = try SoftwareEngine.run(source, output: .standardOutput, final: final)
        }
    }
}
