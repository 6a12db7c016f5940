import ArgumentParser
import AtomikProgram

extension Atomik {
    struct Assemble: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "asm",
            abstract: "Assemble a text program into the compact binary stream format."
        )

        @Argument(help: "Program text ('-' for standard input).")
        var program: String

        @Option(name: .shortAndLong, help: "Binary output file.")
        var output: String

        @OptionGroup var design: DesignOptions

        func run() throws {
            let source = try ProgramSource(path: program, options: design.programOptions)
            let writer = try AtomicOutput(path: output)
            _ = try Assembler.assemble(source, to: writer.writer)
            try writer.commit()
        }
    }

    struct Disassemble: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disasm",
            abstract: "Print a binary (or text) program as canonical program text."
        )

        @Argument(help: "Program file ('-' for standard input).")
        var program: String

        @OptionGroup var design: DesignOptions

        func run() throws {
            let source = try ProgramSource(path: program, options: design.programOptions)
            _ = try Assembler.disassemble(source, to: .standardOutput)
        }
    }
}
